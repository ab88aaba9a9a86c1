"""Membership of published cells over the finest counts, and "atoms".

An atom is a set of finest base rows that no published cell tells apart: every cell contains
either all of its rows or none. The attacker model works on atoms (one non-negative unknown
each) instead of base rows, which shrinks the linear programmes without weakening them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

SEXES = ("female", "male")
BLOCK_KEYS = ["measure", "site_code"]


@dataclass(frozen=True)
class Block:
    """One independent block (measure × site) reduced to atoms.

    `incidence` is a CSR 0/1 matrix (cells × atoms); `atom_counts` the true count of each atom;
    `cases` the true count of each cell (row order of `cells`).
    """

    cells: pd.DataFrame
    incidence: sparse.csr_matrix
    atom_counts: np.ndarray
    cases: np.ndarray


def _universe(
    base: pd.DataFrame, cells: pd.DataFrame, dep_region: Mapping[str, str]
) -> tuple[list[str], list[int], list[int]]:
    deps = set(dep_region) | set(base["department"].astype(str))
    deps |= set(cells.loc[cells["level"] == "department", "geo_code"].astype(str))
    years = set(base["year"].astype(int))
    for start, end in zip(cells["year_start"], cells["year_end"], strict=True):
        years.update(range(int(start), int(end) + 1))
    quintiles = {0} | set(base["quintile"].astype(int))
    quintiles |= {int(q) for q in cells["quintile"].dropna()}
    return sorted(deps), sorted(years), sorted(quintiles)


def membership(
    base: pd.DataFrame, cells: pd.DataFrame, dep_region: Mapping[str, str]
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Incidence matrix (cells × universe rows) and true count of each universe row.

    The universe is the full product departments × sexes × years × quintiles, so base rows
    absent from `base` (zero counts) are still unknowns for the attacker.
    """
    deps, years, quintiles = _universe(base, cells, dep_region)
    dep_idx = {d: i for i, d in enumerate(deps)}
    q_idx = {q: i for i, q in enumerate(quintiles)}
    n_s, n_y, n_q = len(SEXES), len(years), len(quintiles)
    y0 = years[0]
    region_deps: dict[str, list[int]] = {}
    for dep, reg in dep_region.items():
        region_deps.setdefault(str(reg), []).append(dep_idx[str(dep)])
    region_arrays = {r: np.array(sorted(v), dtype=int) for r, v in region_deps.items()}
    all_deps = np.arange(len(deps))
    all_q = np.arange(n_q)
    sex_sets = {"female": np.array([0]), "male": np.array([1]), "all": np.array([0, 1])}

    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for i, cell in enumerate(cells.itertuples(index=False)):
        if cell.level == "country":
            d = all_deps
        elif cell.level == "region":
            d = region_arrays.get(str(cell.geo_code), np.array([], dtype=int))
        else:
            d = np.array([dep_idx[str(cell.geo_code)]])
        s = sex_sets[cell.sex]
        y = np.arange(int(cell.year_start) - y0, int(cell.year_end) - y0 + 1)
        q = all_q if pd.isna(cell.quintile) else np.array([q_idx[int(cell.quintile)]])
        idx = ((d[:, None, None, None] * n_s + s[None, :, None, None]) * n_y
               + y[None, None, :, None]) * n_q + q[None, None, None, :]
        flat = idx.ravel()
        cols.append(flat)
        rows.append(np.full(flat.size, i))
    n_univ = len(deps) * n_s * n_y * n_q
    r = np.concatenate(rows) if rows else np.array([], dtype=int)
    c = np.concatenate(cols) if cols else np.array([], dtype=int)
    mat = sparse.csr_matrix((np.ones(r.size), (r, c)), shape=(len(cells), n_univ))

    counts = np.zeros(n_univ)
    if len(base):
        b_d = base["department"].astype(str).map(dep_idx).to_numpy()
        b_s = base["sex"].map({"female": 0, "male": 1}).to_numpy()
        b_y = base["year"].astype(int).to_numpy() - y0
        b_q = base["quintile"].astype(int).map(q_idx).to_numpy()
        flat = ((b_d * n_s + b_s) * n_y + b_y) * n_q + b_q
        np.add.at(counts, flat.astype(np.int64), base["count"].to_numpy(dtype=float))
    return mat, counts


def atoms(mat: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Group universe columns by identical cell signature.

    Returns the cells × atoms incidence matrix and, for each universe column, its atom number
    (-1 for columns covered by no cell).
    """
    csc = mat.tocsc()
    csc.sort_indices()
    label = np.full(csc.shape[1], -1, dtype=np.int64)
    seen: dict[bytes, int] = {}
    indptr, indices = csc.indptr, csc.indices
    for j in range(csc.shape[1]):
        lo, hi = indptr[j], indptr[j + 1]
        if lo == hi:
            continue
        key = indices[lo:hi].tobytes()
        label[j] = seen.setdefault(key, len(seen))
    n_atoms = len(seen)
    used = np.flatnonzero(label >= 0)
    proj = sparse.csr_matrix(
        (np.ones(used.size), (used, label[used])), shape=(csc.shape[1], n_atoms)
    )
    inc = (mat @ proj).tocsr()
    inc.data[:] = 1.0
    return inc, label


def build_block(
    base: pd.DataFrame, cells: pd.DataFrame, dep_region: Mapping[str, str],
    empty: Collection[tuple[str, int]] = (),
) -> Block:
    """Reduce one measure × site block to atoms with their true counts.

    Units of `empty` (department, quintile) pairs have no person-years, hence no case: they
    are publicly zero and left out of the unknowns.
    """
    cells = cells.reset_index(drop=True)
    mat, counts = membership(base, cells, dep_region)
    if empty:
        deps, years, quintiles = _universe(base, cells, dep_region)
        n_sy = len(SEXES) * len(years)
        q_idx = {q: i for i, q in enumerate(quintiles)}
        dep_idx = {d: i for i, d in enumerate(deps)}
        drop = np.zeros(mat.shape[1], dtype=bool)
        for d, q in empty:
            if str(d) in dep_idx and int(q) in q_idx:
                first = dep_idx[str(d)] * n_sy * len(quintiles) + q_idx[int(q)]
                drop[first + np.arange(n_sy) * len(quintiles)] = True
        if (counts[drop] != 0).any():
            raise ValueError("cases in a unit declared without population")
        mat = mat @ sparse.diags((~drop).astype(float))
        mat.eliminate_zeros()
    inc, label = atoms(mat)
    atom_counts = np.zeros(inc.shape[1])
    used = label >= 0
    np.add.at(atom_counts, label[used], counts[used])
    cases = np.asarray(inc @ atom_counts).ravel()
    return Block(cells=cells, incidence=inc, atom_counts=atom_counts, cases=cases)


@dataclass(frozen=True)
class Groups:
    """Sums of units the compact model keeps, as rows over its variables.

    ``keys`` (columns kind, area, quintile, sex, year): ``D`` rows are department totals
    (area = department, quintile −1), ``R`` rows regional quintile counts (area = region),
    ``rest`` rows a region's units of unpublished quintiles (Σ D − Σ R). ``matrix``
    (groups × variables) gives each group's value. Couplings between blocks are written on
    these groups (``crosssite``).
    """

    keys: pd.DataFrame
    matrix: sparse.csr_matrix


@dataclass(frozen=True)
class Model:
    """Attacker's unknowns for one block.

    `incidence` (cells × variables, 0/1) expresses each cell as a sum of non-negative variables
    with true values `values`; `rows` (rows × variables) adds the constraints
    `row_lower ≤ rows @ v ≤ row_upper` the attacker also knows (regional quintiles within
    departments, published margins and rates, couplings between blocks), and the variables
    may have bounds (`var_lower`, `var_upper`). `groups` lists the unit sums the compact
    model keeps (None for other models).
    """

    cells: pd.DataFrame
    incidence: sparse.csr_matrix
    values: np.ndarray
    rows: sparse.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    cases: np.ndarray
    groups: Groups | None = None
    var_lower: np.ndarray | None = None
    var_upper: np.ndarray | None = None

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds of the variables (default 0 and +inf)."""
        n = self.incidence.shape[1]
        lo = np.zeros(n) if self.var_lower is None else self.var_lower
        hi = np.full(n, np.inf) if self.var_upper is None else self.var_upper
        return lo, hi


def empty_regions(dep_region: Mapping[str, str], empty: Collection[tuple[str, int]]) -> set[str]:
    """Regions whose every department has no population of unknown quintile (0).

    Person-years by quintile are public: there the attacker knows the unknown quintile holds
    no case, so the published quintiles add up exactly to the departments.
    """
    empty_q0 = {str(d) for d, q in empty if int(q) == 0}
    deps: dict[str, list[str]] = {}
    for d, r in dep_region.items():
        deps.setdefault(str(r), []).append(str(d))
    return {r for r, ds in deps.items() if all(d in empty_q0 for d in ds)}


def build_model(
    base: pd.DataFrame, cells: pd.DataFrame, dep_region: Mapping[str, str],
    empty: Collection[tuple[str, int]] = (),
) -> Model:
    """Exact, compact attacker model of one block.

    When every quintile-specific cell covers whole regions (true for the release), the finest
    rows department × quintile × sex × year are replaced by department totals D(d, s, y) and
    regional quintile counts R(r, q, s, y) with, per region, sex and year,
    sum_q R(r, q, s, y) ≤ sum_{d in r} D(d, s, y), an equality where the unpublished quintiles
    are publicly empty (`empty`: (department, quintile) pairs with no person-years). Both
    descriptions admit the same published values: within a region any department can supply
    any quintile (a transportation problem on a complete bipartite graph is feasible iff
    demand ≤ supply). Otherwise the model falls back to atoms, with empty units removed.
    """
    cells = cells.reset_index(drop=True)
    q_cells = cells[cells["quintile"].notna()]
    if (q_cells["level"] == "department").any():
        blk = build_block(base, cells, dep_region, empty)
        n_var = blk.incidence.shape[1]
        return Model(cells, blk.incidence, blk.atom_counts, sparse.csr_matrix((0, n_var)),
                     np.zeros(0), np.zeros(0), blk.cases)
    mat, counts = membership(base, cells, dep_region)
    deps, years, quintiles = _universe(base, cells, dep_region)
    n_d, n_s, n_y, n_q = len(deps), len(SEXES), len(years), len(quintiles)
    dep_idx = {d: i for i, d in enumerate(deps)}
    regions = sorted({str(r) for r in dep_region.values()})
    reg_idx = {r: i for i, r in enumerate(regions)}
    dep_reg = np.full(n_d, -1)
    for d, r in dep_region.items():
        dep_reg[dep_idx[str(d)]] = reg_idx[str(r)]
    if (dep_reg < 0).any():
        raise ValueError("every department needs a region in dep_region")
    q_pub = sorted({quintiles.index(int(q)) for q in q_cells["quintile"]})
    n_r, n_qp = len(regions), len(q_pub)
    # universe index u = ((d*n_s + s)*n_y + y)*n_q + q
    u = np.arange(n_d * n_s * n_y * n_q)
    q_of = u % n_q
    dsy = u // n_q
    d_of = dsy // (n_s * n_y)
    sy = dsy % (n_s * n_y)
    n_dvar = n_d * n_s * n_y
    q_pos = np.full(n_q, -1)
    q_pos[q_pub] = np.arange(n_qp)
    r_var = np.where(
        q_pos[q_of] >= 0,
        n_dvar + (dep_reg[d_of] * n_s * n_y + sy) * n_qp + q_pos[q_of],
        -1,
    )
    n_var = n_dvar + n_r * n_s * n_y * n_qp
    all_q = cells["quintile"].isna().to_numpy()
    coo = mat.tocoo()
    var = np.where(all_q[coo.row], dsy[coo.col], r_var[coo.col])
    if (var < 0).any():
        raise AssertionError("quintile cell over an unpublished quintile")
    inc = sparse.csr_matrix((np.ones(var.size), (coo.row, var)), shape=(len(cells), n_var))
    inc.sum_duplicates()
    inc.data[:] = 1.0
    values = np.zeros(n_var)
    np.add.at(values, dsy, counts)
    ok = r_var >= 0
    np.add.at(values, r_var[ok], counts[ok])
    # coupling: sum_q R(r,q,s,y) - sum_{d in r} D(d,s,y) <= 0, one row per (r, s, y)
    rs = np.arange(n_r * n_s * n_y)
    r_rows = np.repeat(rs, n_qp)
    r_cols = n_dvar + np.arange(n_r * n_s * n_y * n_qp)
    d_all = np.arange(n_dvar)
    d_rows = dep_reg[d_all // (n_s * n_y)] * n_s * n_y + d_all % (n_s * n_y)
    coupling = sparse.csr_matrix(
        (np.r_[np.ones(r_rows.size), -np.ones(d_all.size)],
         (np.r_[r_rows, d_rows], np.r_[r_cols, d_all])),
        shape=(rs.size, n_var),
    )
    unpublished = set(range(n_q)) - set(q_pub)
    exact = {reg_idx[r] for r in empty_regions(dep_region, empty)} if unpublished == {0} else set()
    if not unpublished:
        exact = set(range(n_r))
    lower = np.where(np.isin(rs // (n_s * n_y), sorted(exact)), 0.0, -np.inf)
    cases = np.asarray(inc @ values).ravel()
    groups = _groups(deps, dep_reg, regions, years, [quintiles[q] for q in q_pub], n_dvar)
    return Model(cells, inc, values, coupling, lower, np.zeros(rs.size), cases, groups)


def _groups(deps: list[str], dep_reg: np.ndarray, regions: list[str], years: list[int],
            q_pub: list[int], n_dvar: int) -> Groups:
    """D, R and rest groups of the compact model (see ``Groups``), in variable order."""
    n_s, n_y, n_qp, n_r = len(SEXES), len(years), len(q_pub), len(regions)
    n_var = n_dvar + n_r * n_s * n_y * n_qp
    d_keys = [("D", d, -1, x, y) for d in deps for x in SEXES for y in years]
    r_keys = [("R", r, q, x, y) for r in regions for x in SEXES for y in years for q in q_pub]
    rest_keys = [("rest", r, -1, x, y) for r in regions for x in SEXES for y in years]
    eye = sparse.identity(n_var, format="csr")
    # rest(r, s, y) = Σ_{d in r} D(d, s, y) − Σ_q R(r, q, s, y)
    d_all = np.arange(n_dvar)
    d_row = dep_reg[d_all // (n_s * n_y)] * n_s * n_y + d_all % (n_s * n_y)
    r_all = np.arange(n_dvar, n_var)
    r_row = (r_all - n_dvar) // n_qp
    rest = sparse.csr_matrix(
        (np.r_[np.ones(d_all.size), -np.ones(r_all.size)],
         (np.r_[d_row, r_row], np.r_[d_all, r_all])), shape=(n_r * n_s * n_y, n_var))
    keys = pd.DataFrame(d_keys + r_keys + rest_keys,
                        columns=["kind", "area", "quintile", "sex", "year"])
    return Groups(keys, sparse.vstack([eye, rest]).tocsr())


def fixed_variables(
    incidence: sparse.csr_matrix, published: np.ndarray, cases: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Variables the attacker pins down directly: (mask, value).

    A published zero pins all its variables to 0; a published cell with a single variable left
    pins that variable. Repeated until nothing changes. The LPs then only carry the others.
    """
    n_var = incidence.shape[1]
    fixed = np.zeros(n_var, dtype=bool)
    value = np.zeros(n_var)
    rows = np.flatnonzero(published)
    ptr, ind = incidence.indptr, incidence.indices
    zero = rows[cases[rows] == 0]
    for c in zero:
        fixed[ind[ptr[c]:ptr[c + 1]]] = True
    changed = True
    while changed:
        changed = False
        free_count = np.asarray(incidence[rows] @ (~fixed).astype(float)).ravel()
        for c in rows[free_count == 1]:
            members = ind[ptr[c]:ptr[c + 1]]
            free = members[~fixed[members]]
            if free.size != 1:
                continue
            value[free[0]] = cases[c] - value[members].sum()
            fixed[free[0]] = True
            changed = True
    return fixed, value
