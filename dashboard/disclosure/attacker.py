"""The attacker's linear programme (HiGHS through highspy), used by `protect`.

Unknowns are the non-negative variables of a `cells.Model`; every published cell is an equality
(its published value), plus the model's coupling rows. Suppressing a cell frees its row, so the
model is updated in place and re-solved warm (primal simplex) when only the objective changes.
"""

from __future__ import annotations

import highspy
import numpy as np
from scipy import sparse

from dashboard.disclosure.cells import Model, fixed_variables
from dashboard.disclosure.solver import quiet_highs

INF = highspy.kHighsInf


class AttackerLP:
    """Warm-started HiGHS model answering "what can the attacker derive about these cells?".

    Variables pinned by published cells are substituted out; only cells published at
    construction get a row, later suppressions free their row (or ask for a rebuild when the
    cell was pinning variables).
    """

    def __init__(self, model: Model, published: np.ndarray) -> None:
        inc, coupling = model.incidence, model.coupling
        self.inc = inc
        self.n_cells = inc.shape[0]
        self.fixed, self.fixed_value = fixed_variables(inc, published, model.cases)
        self.free = np.flatnonzero(~self.fixed)
        self.n_var = self.free.size
        pins = np.asarray(inc[:, self.fixed].sum(axis=1)).ravel() > 0
        self.pinning = published & pins
        known = np.asarray(inc @ self.fixed_value).ravel()
        inc_free = inc[:, self.free]
        has_free = np.diff(inc_free.indptr) > 0
        pub = np.flatnonzero(published & has_free)
        self.row_of = {int(c): r for r, c in enumerate(pub)}
        cpl_known = np.asarray(coupling @ self.fixed_value).ravel()
        mat = sparse.vstack([inc_free[pub], coupling[:, self.free]]).tocsc()
        n_rows = mat.shape[0]
        rhs = model.cases[pub].astype(float) - known[pub]
        lp = highspy.HighsLp()
        lp.num_col_ = self.n_var
        lp.num_row_ = n_rows
        lp.col_cost_ = np.zeros(self.n_var)
        lp.col_lower_ = np.zeros(self.n_var)
        lp.col_upper_ = np.full(self.n_var, INF)
        lp.row_lower_ = np.r_[rhs, np.full(coupling.shape[0], -INF)]
        lp.row_upper_ = np.r_[rhs, -cpl_known]
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = mat.indptr
        lp.a_matrix_.index_ = mat.indices
        lp.a_matrix_.value_ = mat.data
        self.inc_free = inc_free.tocsr()
        self.known = known
        self.h = quiet_highs(seed=0)
        self.h.passModel(lp)
        self._warm = False
        self._cols = np.arange(self.n_var, dtype=np.int32)

    def suppress(self, cell: int) -> bool:
        """Drop the equality of a newly suppressed cell; False if the model must be rebuilt."""
        if self.pinning[int(cell)]:
            return False
        row = self.row_of.get(int(cell))
        if row is not None:
            self.h.changeRowBounds(row, -INF, INF)
        return True

    def solve(self, weights: np.ndarray, maximize: bool) -> np.ndarray | None:
        """Optimise weights · cells; every cell's value at the optimum (None: unbounded)."""
        if self.n_var == 0:
            return self.known.copy()
        cost = np.asarray(self.inc_free.T @ weights).ravel()
        h = self.h
        h.changeColsCost(self.n_var, self._cols, cost)
        h.changeObjectiveSense(
            highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
        )
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"attacker LP: {h.modelStatusToString(status)}")
        if not self._warm:  # later solves only change the objective: warm primal simplex
            h.setOptionValue("presolve", "off")
            h.setOptionValue("simplex_strategy", 4)
            self._warm = True
        x = np.asarray(h.getSolution().col_value)
        return self.known + np.asarray(self.inc_free @ x).ravel()


class ProtectionLP:
    """Cheapest way to move a suppressed cell to a target while changing published values.

    Same rows as `AttackerLP`, plus for every cell two deviation columns (up, down) priced
    `unit_cost`. Published cells whose value must deviate are the complements to suppress:
    once they are, the returned point is feasible for the attacker and reaches the target.
    This is the linear relaxation of Fischetti and Salazar's complementary-suppression model.
    """

    def __init__(self, model: Model, published: np.ndarray, unit_cost: np.ndarray) -> None:
        inc, coupling = model.incidence, model.coupling
        self.inc = inc
        self.n_cells, self.n_var = inc.shape
        n = self.n_cells
        eye = sparse.identity(n, format="csr")
        top = sparse.hstack([inc, -eye, eye])
        bottom = sparse.hstack([coupling, sparse.csr_matrix((coupling.shape[0], 2 * n))])
        mat = sparse.vstack([top, bottom]).tocsc()
        n_col = self.n_var + 2 * n
        self.cases = model.cases.astype(float)
        lower = np.r_[np.zeros(n), np.full(coupling.shape[0], -INF)]
        upper = np.r_[np.full(n, INF), np.zeros(coupling.shape[0])]
        lower[:n][published] = self.cases[published]
        upper[:n][published] = self.cases[published]
        dev_up = np.where(published, INF, 0.0)
        self.unit_cost = np.asarray(unit_cost, dtype=float)
        cost = np.r_[np.zeros(self.n_var), np.where(published, self.unit_cost, 0.0),
                     np.where(published, self.unit_cost, 0.0)]
        lp = highspy.HighsLp()
        lp.num_col_ = n_col
        lp.num_row_ = mat.shape[0]
        lp.col_cost_ = cost
        lp.col_lower_ = np.zeros(n_col)
        lp.col_upper_ = np.r_[np.full(self.n_var, INF), dev_up, dev_up]
        lp.row_lower_ = lower
        lp.row_upper_ = upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = mat.indptr
        lp.a_matrix_.index_ = mat.indices
        lp.a_matrix_.value_ = mat.data
        self.h = quiet_highs(seed=0)
        self.h.passModel(lp)

    def suppress(self, cell: int) -> None:
        """Free a newly suppressed cell (no deviation needed any more)."""
        c = int(cell)
        self.h.changeRowBounds(c, 0.0, INF)
        for col in (self.n_var + c, self.n_var + self.n_cells + c):
            self.h.changeColBounds(col, 0.0, 0.0)
            self.h.changeColCost(col, 0.0)

    def reach(self, cell: int, lower: float, upper: float) -> tuple[np.ndarray, np.ndarray] | None:
        """Cheapest point with the cell's value in [lower, upper].

        Returns (cells to suppress, cell values at that point), or None if unreachable.
        """
        h = self.h
        h.changeRowBounds(int(cell), float(lower), float(upper))
        h.run()
        ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        h.changeRowBounds(int(cell), 0.0, INF)
        if not ok:
            return None
        col = np.asarray(h.getSolution().col_value)
        n = self.n_cells
        dev = col[self.n_var:self.n_var + n] + col[self.n_var + n:]
        x = col[: self.n_var]
        return np.flatnonzero(dev > 1e-7), np.asarray(self.inc @ x).ravel()
