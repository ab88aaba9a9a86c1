"""Funnel-plot limits for ratios against PHEindicatormethods' published test outputs.

Source of the expected values: PHEindicatormethods (UK Health Security Agency), file
tests/testthat/testdata_funnel_ratio_outputs.csv: for an observed count O, the expected count E
at which O sits exactly on the lower 95% ("2s") or 99.8% ("3s") limit, and the ratio O/E × 100
there. Our lower limit at that E must give the same ratio. (The upper limits follow a different
discreteness convention there: PHE puts O itself on the upper limit at E = Garwood lower limit of
O, Spiegelhalter's interpolated quantile puts O − 1; see docs/statistics.md.)
"""

import numpy as np
import pytest

from dashboard.stats.funnel import sir_limits

# observed, lower_2s_exp_events, lower_2s_isr, lower_3s_exp_events, lower_3s_isr
PHE_ROWS = [
    (1, 5.571644585, 17.94802207, 9.233410143, 10.83023482),
    (2, 7.224687515, 27.6828582, 11.22886836, 17.81123382),
    (5, 11.6683331, 42.85102213, 16.45474478, 30.38637225),
    (10, 18.39035799, 54.3763205, 24.13397235, 41.43536693),
    (33, 46.34427966, 71.206199, 54.89565059, 60.11405211),
    (100, 121.6268111, 82.21871402, 134.9243187, 74.11562345),
    (299, 334.8845596, 89.28449862, 356.3855169, 83.89790994),
    (716, 770.4222128, 92.93605352, 802.60414, 89.20960712),
]


@pytest.mark.parametrize(("observed", "e95", "isr95", "e998", "isr998"), PHE_ROWS)
def test_lower_limits_match_phe(observed, e95, isr95, e998, isr998):
    low95, _ = sir_limits(np.array([e95]), 0.95)
    low998, _ = sir_limits(np.array([e998]), 0.998)
    assert low95[0] * 100 == pytest.approx(isr95, rel=1e-5)
    assert low998[0] * 100 == pytest.approx(isr998, rel=1e-5)
    # At that E, O is the lower limit: the ratio is O / E.
    assert isr95 == pytest.approx(100 * observed / e95, rel=1e-8)
