"""The attacker's linear programme (HiGHS through highspy), used by `protect`.

Unknowns are the non-negative variables of a `model.Model`; every published cell is an equality
(its published value), plus the model's extra rows (lower ≤ rows @ v ≤ upper). Suppressing a
cell frees its row, so the model is updated in place and re-solved warm (primal simplex) when
only the objective changes.
"""

from __future__ import annotations

import highspy
import numpy as np
from scipy import sparse

from dashboard.disclosure.model import Model, fixed_variables
from dashboard.disclosure.solver import Residuals, polish, quiet_highs, run

INF = highspy.kHighsInf


def _lp(mat: sparse.csc_matrix, row_lower: np.ndarray, row_upper: np.ndarray,
        cost: np.ndarray, col_lower: np.ndarray, col_upper: np.ndarray) -> highspy.HighsLp:
    """A HiGHS LP: row_lower ≤ mat @ x ≤ row_upper, col_lower ≤ x ≤ col_upper."""
    lp = highspy.HighsLp()
    lp.num_col_ = mat.shape[1]
    lp.num_row_ = mat.shape[0]
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(col_lower, dtype=float)
    lp.col_upper_ = np.where(np.isfinite(col_upper), col_upper, INF)
    lp.row_lower_ = np.where(np.isfinite(row_lower), row_lower, -INF)
    lp.row_upper_ = np.where(np.isfinite(row_upper), row_upper, INF)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = mat.indptr
    lp.a_matrix_.index_ = mat.indices
    lp.a_matrix_.value_ = mat.data
    return lp


def _widen(lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Known rows loosened by a relative 1e-9: rounding in their computation must not make
    the truth infeasible (far below anything a count can tell)."""
    return (lower - 1e-9 * (1 + np.abs(lower)), upper + 1e-9 * (1 + np.abs(upper)))


class AttackerLP:
    """Warm-started HiGHS model answering "what can the attacker derive about these cells?".

    Variables pinned by published cells are substituted out; only cells published at
    construction get a row, later suppressions free their row (or ask for a rebuild when the
    cell was pinning variables).
    """

    def __init__(self, model: Model, published: np.ndarray) -> None:
        inc, extra = model.incidence, model.rows
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
        extra_known = np.asarray(extra @ self.fixed_value).ravel()
        mat = sparse.vstack([inc_free[pub], extra[:, self.free]]).tocsc()
        rhs = model.cases[pub].astype(float) - known[pub]
        v_lo, v_hi = model.bounds()
        lower, upper = _widen(model.row_lower - extra_known, model.row_upper - extra_known)
        lp = _lp(mat, np.r_[rhs, lower], np.r_[rhs, upper], np.zeros(self.n_var),
                 v_lo[self.free], v_hi[self.free])
        self.inc_free = inc_free.tocsr()
        self.known = known
        self.truth = model.cases.astype(float)
        self.check = Residuals(mat, np.r_[rhs, lower], np.r_[rhs, upper])
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
            self.check.release(row)
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
        status = run(h)
        if status == highspy.HighsModelStatus.kUnbounded:
            return None
        if status != highspy.HighsModelStatus.kOptimal:  # no answer: certifies nothing
            return self.truth.copy()
        if not self._warm:  # later solves only change the objective: warm primal simplex
            h.setOptionValue("presolve", "off")
            h.setOptionValue("simplex_strategy", 4)
            self._warm = True
        x = polish(h, self.check)
        if x is None:  # a point off the model certifies nothing
            return self.truth.copy()
        return self.known + np.asarray(self.inc_free @ x).ravel()


class ProtectionLP:
    """Cheapest way to move a suppressed cell to a target while changing published values.

    Same rows as `AttackerLP`, plus for every cell two deviation columns (up, down) priced
    `unit_cost`. Published cells whose value must deviate are the complements to suppress:
    once they are, the returned point is feasible for the attacker and reaches the target.
    This is the linear relaxation of Fischetti and Salazar's complementary-suppression model.
    """

    def __init__(self, model: Model, published: np.ndarray, unit_cost: np.ndarray) -> None:
        inc, extra = model.incidence, model.rows
        self.inc = inc
        self.n_cells, self.n_var = inc.shape
        n = self.n_cells
        eye = sparse.identity(n, format="csr")
        top = sparse.hstack([inc, -eye, eye])
        bottom = sparse.hstack([extra, sparse.csr_matrix((extra.shape[0], 2 * n))])
        mat = sparse.vstack([top, bottom]).tocsc()
        self.cases = model.cases.astype(float)
        lower, upper = _widen(model.row_lower, model.row_upper)
        lower = np.r_[np.zeros(n), lower]
        upper = np.r_[np.full(n, INF), upper]
        lower[:n][published] = self.cases[published]
        upper[:n][published] = self.cases[published]
        dev_up = np.where(published, INF, 0.0)
        self.unit_cost = np.asarray(unit_cost, dtype=float)
        cost = np.r_[np.zeros(self.n_var), np.where(published, self.unit_cost, 0.0),
                     np.where(published, self.unit_cost, 0.0)]
        v_lo, v_hi = model.bounds()
        lp = _lp(mat, lower, upper, cost, np.r_[v_lo, np.zeros(2 * n)],
                 np.r_[v_hi, dev_up, dev_up])
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
        ok = run(h) == highspy.HighsModelStatus.kOptimal
        h.changeRowBounds(int(cell), 0.0, INF)
        if not ok:
            return None
        col = np.asarray(h.getSolution().col_value)
        n = self.n_cells
        dev = col[self.n_var:self.n_var + n] + col[self.n_var + n:]
        x = col[: self.n_var]
        return np.flatnonzero(dev > 1e-7), np.asarray(self.inc @ x).ravel()
