"""Simulated territorial structure of the demo registry: department risks and deprivation.

- Department relative risks are smooth functions of position (neighbours alike): a north
  gradient and a Brittany bump for tobacco- and alcohol-related sites, a random smooth field
  (sum of Gaussian bumps) per site, a little unstructured noise, and overseas contrasts
  (prostate high in the Antilles, cervix high in Guyane, lung low overseas, ...).
- Commune deprivation scores combine a smooth regional field (higher in the north-east and
  around the Mediterranean, highest overseas) and commune noise that shrinks with town size;
  quintiles are population-weighted: each holds a fifth of the population of France.
All of this is simulated and documented as such (docs/demo-data.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

OVERSEAS = {"971": "antilles", "972": "antilles", "973": "guyane", "974": "reunion",
            "976": "mayotte"}


def north_gradient(lat: np.ndarray) -> np.ndarray:
    """0 in the south of metropolitan France, about 1 at the northern border."""
    return np.clip((np.asarray(lat) - 43.0) / 8.0, 0.0, 1.2)


def brittany_bump(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """1 at the heart of Brittany, fading over about 150 km."""
    d2 = ((np.asarray(lon) + 3.2) * 0.67) ** 2 + (np.asarray(lat) - 48.1) ** 2
    return np.exp(-d2 / (2 * 1.0**2))


def smooth_field(lon: np.ndarray, lat: np.ndarray, rng: np.random.Generator,
                 n_bumps: int = 10, scale: float = 1.6, sd: float = 0.08) -> np.ndarray:
    """A random smooth surface over metropolitan France (Gaussian bumps, log scale)."""
    cx = rng.uniform(-4.5, 8.0, n_bumps)
    cy = rng.uniform(42.5, 50.8, n_bumps)
    amp = rng.normal(0.0, sd, n_bumps)
    dx = (np.asarray(lon)[:, None] - cx[None, :]) * 0.67
    dy = np.asarray(lat)[:, None] - cy[None, :]
    return (amp * np.exp(-(dx**2 + dy**2) / (2 * scale**2))).sum(axis=1)


def department_log_rr(deps: pd.DataFrame, params: pd.Series, rng: np.random.Generator,
                      noise_sd: float = 0.03) -> np.ndarray:
    """Log relative risk of each department for one site and measure (metropolitan mean ~0)."""
    lon, lat = deps["lon"].to_numpy(float), deps["lat"].to_numpy(float)
    overseas = deps["code"].map(OVERSEAS)
    log_rr = (params["north"] * north_gradient(lat) + params["brittany"] * brittany_bump(lon, lat)
              + smooth_field(lon, lat, rng) + rng.normal(0.0, noise_sd, len(deps)))
    metro = overseas.isna().to_numpy()
    log_rr[metro] -= log_rr[metro].mean()
    for i, zone in enumerate(overseas):
        if isinstance(zone, str):
            log_rr[i] = params[zone] + rng.normal(0.0, noise_sd)
    return log_rr


def deprivation_scores(communes: pd.DataFrame, deps: pd.DataFrame,
                       rng: np.random.Generator) -> pd.Series:
    """Simulated deprivation score of each commune (higher = more deprived)."""
    pos = deps.set_index("code")[["lon", "lat"]].reindex(communes["department"]).to_numpy(float)
    lon, lat = pos[:, 0], pos[:, 1]
    east = np.clip((lon - 2.0) / 6.0, 0, 1)
    mediterranean = np.exp(-(((lon - 4.5) * 0.67) ** 2 + (lat - 43.3) ** 2) / 2.0)
    regional = 0.6 * north_gradient(lat) * (0.5 + east) + 0.5 * mediterranean
    regional += smooth_field(lon, lat, rng, n_bumps=14, scale=1.2, sd=0.25)
    # A commune's own deviation shrinks with its size: a large town averages many
    # neighbourhoods, rich and poor, and sits near its region's level.
    population = communes["population"].to_numpy(float).clip(1, None)
    local = rng.normal(0.0, 0.7, len(communes)) / np.sqrt(1.0 + population / 20_000)
    score = regional + local
    score[communes["department"].isin(OVERSEAS).to_numpy()] += 2.0
    return pd.Series(score, index=communes.index)


def population_quintiles(score: pd.Series, population: pd.Series) -> pd.Series:
    """Quintile 1 (least deprived) to 5 of each commune, each holding a fifth of the population."""
    order = np.argsort(score.to_numpy(), kind="stable")
    pop = population.to_numpy(float)[order]
    cum = (np.cumsum(pop) - pop / 2) / pop.sum()
    q = np.empty(len(score), dtype=np.int8)
    q[order] = np.minimum((cum * 5).astype(int) + 1, 5)
    return pd.Series(q, index=score.index)
