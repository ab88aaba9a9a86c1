"""Every validation reason, the commune mapping and the row balance of the source layer."""

import pandas as pd
import pytest

from dashboard.sources import communes, icd10
from dashboard.sources.validate import REASONS, validate_deprivation, validate_events

GOOD = {"case_id": "A1", "sex": "1", "age": "65", "year": "2020", "icd10": "C341",
        "commune": "01001"}


def one(**changes) -> pd.DataFrame:
    return pd.DataFrame([{**GOOD, **changes}])


@pytest.mark.parametrize(("changes", "reason"), [
    ({"commune": ""}, "missing_field"),
    ({"sex": "  "}, "missing_field"),
    ({"sex": "3"}, "bad_sex"),
    ({"sex": "M"}, "bad_sex"),
    ({"age": "121"}, "bad_age"),
    ({"age": "-1"}, "bad_age"),
    ({"age": "64.5"}, "bad_age"),
    ({"age": "sixty"}, "bad_age"),
    ({"year": "2009"}, "year_out_of_coverage"),
    ({"year": "2024"}, "year_out_of_coverage"),
    ({"year": "20x0"}, "year_out_of_coverage"),
    ({"icd10": "XYZ"}, "invalid_icd10"),
    ({"icd10": "C"}, "invalid_icd10"),
    ({"icd10": "D059"}, "not_cancer_icd10"),
    ({"icd10": "C98"}, "not_cancer_icd10"),
    ({"icd10": "C449"}, "excluded_icd10"),
    ({"icd10": "C61", "sex": "2"}, "sex_site_mismatch"),
    ({"icd10": "C53", "sex": "1"}, "sex_site_mismatch"),
    ({"commune": "99999"}, "unknown_commune"),
    ({"commune": "2C001"}, "unknown_commune"),
])
def test_each_reason(changes, reason):
    v = validate_events(one(**changes), "cases", 2010, 2023)
    assert v.counts == {reason: 1}
    assert len(v.accepted) == 0 and v.rejected["reason"].tolist() == [reason]
    assert reason in REASONS


def test_duplicate_ids_keep_the_first():
    raw = pd.concat([one(), one(age="70"), one(case_id="B2")], ignore_index=True)
    v = validate_events(raw, "cases", 2010, 2023)
    assert v.counts == {"duplicate_id": 1}
    assert v.rejected["age"].tolist() == ["70"]


def test_first_reason_wins_and_rows_balance():
    raw = pd.concat([one(sex="9", age="200"), one(case_id="B", icd10="C44"), one(case_id="C")],
                    ignore_index=True)
    v = validate_events(raw, "cases", 2010, 2023)
    assert v.counts == {"bad_sex": 1, "excluded_icd10": 1}
    assert len(v.accepted) + len(v.rejected) == v.read == 3


def test_accepted_rows_are_typed_and_mapped():
    raw = pd.DataFrame([
        {**GOOD, "case_id": "1", "icd10": "c50.9", "sex": "2", "commune": "75112"},
        {**GOOD, "case_id": "2", "icd10": "C509", "sex": "1", "commune": "1001"},
        {**GOOD, "case_id": "3", "icd10": "C18", "commune": "2a004", "age": " 40 "},
        {**GOOD, "case_id": "4", "icd10": "C17", "commune": "69381"},
    ])
    v = validate_events(raw, "cases", 2010, 2023)
    assert v.counts == {}
    acc = v.accepted
    assert acc["site_code"].tolist() == ["breast", "other", "colorectum", "other"]
    assert acc["department"].tolist() == ["75", "01", "2A", "69"]
    assert acc["commune"].tolist() == ["75056", "01001", "2A004", "69123"]
    assert acc["age"].tolist() == [65, 65, 40, 65]


def test_deaths_use_their_own_identifier():
    raw = pd.DataFrame([{"death_id": "D1", **{k: v for k, v in GOOD.items() if k != "case_id"}}])
    assert len(validate_events(raw, "deaths", 2010, 2023).accepted) == 1


def test_merged_commune_code_maps_to_the_new_commune():
    from dashboard.reference_data import communes as reference

    ref = reference()
    former = ref[ref["type"] == "COMD"].iloc[0]
    found = communes.resolve(pd.Series([former["code"]]))
    assert found["commune"].iloc[0] == former["commune"]
    assert found["department"].iloc[0] == former["department"]


def test_icd10_sites_do_not_overlap_and_cover_published_sites():
    mapping = icd10.category_to_site()
    assert mapping[34] == "lung" and mapping[61] == "prostate" and 44 not in mapping
    assert set(mapping.values()) | {"all"} == set(
        __import__("dashboard.reference_data", fromlist=["sites"]).sites()["site_code"])


def test_deprivation_validation():
    raw = pd.DataFrame({"commune": ["01001", "01002", "01001", "99999", "01004", "01005"],
                        "quintile": ["1", "5", "2", "3", "6", "2"],
                        "score": ["0.1", "", "0.3", "1", "1", "abc"]})
    v = validate_deprivation(raw)
    assert v.counts == {"duplicate_id": 1, "unknown_commune": 1, "bad_quintile": 1,
                        "bad_score": 1}
    assert v.accepted["quintile"].tolist() == [1, 5]
