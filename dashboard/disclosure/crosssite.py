""""All cancers" and its sites: the cross-site relation.

In every finest unit u (department × quintile × sex × year), all(u) = Σ_sites site(u) +
other(u), where "other" (cancers of no published site) is never published and ≥ 0. Where the
remainder is large the relation tells an attacker little; in the overseas regions it can be a
handful of cases, and a site's hidden cell is then boxed in by "all cancers" minus the
published sites. The engine models the relation as a coupling between the block of a site
and the block of "all cancers", the other sites held at their true values (a restriction of
the attacker's unknowns, so certificates found with it stay valid for the real attacker):
with c(u) = all*(u) − site*(u) − other*(u) (* = true value), a pair of block points is a
pair of unit tables with all(u) − site(u) ≥ c(u) in every unit. Each block is first protected
``alone``, every other block held at its true values (cheap: bounds on its variables); a site
that cannot be protected so is protected ``joint``ly with "all cancers".

On the compact model (department totals D, regional quintiles R, see ``model``) that holds
exactly when, per sex and year,

    D_all(d) − D_site(d) ≥ Σ_q c(d, q)              for every department d,
    R_all(r, q) − R_site(r, q) ≥ Σ_{d∈r} c(d, q)    for every region r and published q,
    rest_all(r) − rest_site(r) ≥ Σ_{d∈r, q unpublished} c(d, q),

rest being Σ_d D − Σ_q R: the slack w(u) = all(u) − site(u) − c(u) ≥ 0 is then a
transportation problem on a complete bipartite graph (departments × quintiles of a region,
the unpublished quintiles absorbing the rest), feasible iff supplies and demands are
non-negative and demands do not exceed supplies: the three lines above.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import sparse

from dashboard.disclosure.model import Model


def group_remainder(keys: pd.DataFrame, remainder: pd.DataFrame,
                    dep_region: Mapping[str, str]) -> np.ndarray:
    """True "other sites" count of each group (D, R, rest; ``keys`` as in ``Groups``)."""
    region = {str(d): str(r) for d, r in dep_region.items()}
    rem = pd.DataFrame({"department": remainder["department"].astype(str).to_numpy(),
                        "quintile": remainder["quintile"].astype(int).to_numpy(),
                        "sex": remainder["sex"].to_numpy(),
                        "year": remainder["year"].astype(int).to_numpy(),
                        "count": remainder["count"].to_numpy(float)})
    rem["region"] = rem["department"].map(region)
    published = set(keys.loc[keys["kind"] == "R", "quintile"].astype(int))
    out = np.zeros(len(keys))
    for kind, area, quintile_in in (("D", "department", None), ("R", "region", True),
                                    ("rest", "region", False)):
        sub = rem if quintile_in is None else rem[rem["quintile"].isin(published) == quintile_in]
        by = [area, "sex", "year"] + (["quintile"] if kind == "R" else [])
        totals = sub.groupby(by)["count"].sum()
        rows = np.flatnonzero((keys["kind"] == kind).to_numpy())
        want = keys.iloc[rows].rename(columns={"area": area})[by]
        out[rows] = totals.reindex(pd.MultiIndex.from_frame(want)).fillna(0.0).to_numpy()
    return out


def alone(block: Model, remainder: pd.DataFrame, dep_region: Mapping[str, str],
          is_all: bool) -> Model:
    """One block with every other block held at its true values.

    A site's groups may then grow by at most the remainder (``is_all`` False); the groups of
    "all cancers" may shrink by at most the remainder (``is_all`` True). Department totals
    and regional quintiles are variables of the compact model: their limits are variable
    bounds; regional rests become rows.
    """
    if block.groups is None:
        raise ValueError("the cross-site relation needs the compact model")
    g = block.groups.matrix
    truth = g @ block.values
    other = group_remainder(block.groups.keys, remainder, dep_region)
    n = block.incidence.shape[1]
    lo, hi = block.bounds()
    if is_all:
        lo = np.maximum(lo, truth[:n] - other[:n])
        rest_lo, rest_hi = truth[n:] - other[n:], np.full(g.shape[0] - n, np.inf)
    else:
        hi = np.minimum(hi, truth[:n] + other[:n])
        rest_lo, rest_hi = np.full(g.shape[0] - n, -np.inf), truth[n:] + other[n:]
    return Model(block.cells, block.incidence, block.values,
                 sparse.vstack([block.rows, g[n:]]).tocsr(), np.r_[block.row_lower, rest_lo],
                 np.r_[block.row_upper, rest_hi], block.cases, block.groups, lo, hi)


def joint(site: Model, all_: Model, remainder: pd.DataFrame,
          dep_region: Mapping[str, str]) -> Model:
    """One model of a site's block and the "all cancers" block, coupled group by group.

    Variables: the site's, then all's; cells: the site's, then all's (column ``block`` says
    which). Rows: both blocks' rows and the coupling of the module docstring.
    """
    if site.groups is None or all_.groups is None:
        raise ValueError("the cross-site relation needs the compact model")
    keys = ["kind", "area", "quintile", "sex", "year"]
    pos_a = pd.Series(np.arange(len(all_.groups.keys)),
                      index=pd.MultiIndex.from_frame(all_.groups.keys[keys]))
    j = pos_a.reindex(pd.MultiIndex.from_frame(site.groups.keys[keys])).to_numpy()
    if np.isnan(j).any():
        raise ValueError("the two blocks do not share their units")
    j = j.astype(int)
    gs, ga = site.groups.matrix, all_.groups.matrix[j]
    other = group_remainder(all_.groups.keys, remainder, dep_region)[j]
    rhs = ga @ all_.values - gs @ site.values - other
    rows = sparse.vstack([sparse.block_diag([site.rows, all_.rows], format="csr"),
                          sparse.hstack([-gs, ga], format="csr")]).tocsr()
    cells = pd.concat([site.cells.assign(block="site"), all_.cells.assign(block="all")],
                      ignore_index=True)
    return Model(cells, sparse.block_diag([site.incidence, all_.incidence], format="csr"),
                 np.r_[site.values, all_.values], rows,
                 np.r_[site.row_lower, all_.row_lower, rhs],
                 np.r_[site.row_upper, all_.row_upper, np.full(rhs.size, np.inf)],
                 np.r_[site.cases, all_.cases])
