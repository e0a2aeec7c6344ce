"""Python's round(x, 6) over a whole array, to the bit: features and scores are logged rounded."""

import numpy as np
import numpy.typing as npt

Values = npt.NDArray[np.float64]

_SCALE = 1e6


def round6(values: Values) -> list[float]:
    """The same floats as [round(float(v), 6) for v in values.flat], without a call per value.

    numpy rounds x * 1e6 to an integer k and returns k / 1e6, the nearest float to k / 10**6, as
    Python does. Only k itself can differ: Python rounds the exact decimal value of x, numpy the
    product x * 1e6, which is itself rounded. That matters only next to a tie (a fraction of .5),
    so those few values are rounded by Python.
    """
    scaled = values.ravel() * _SCALE
    rounded = np.rint(scaled) / _SCALE
    with np.errstate(invalid="ignore"):  # inf and nan go to Python below
        # x * 1e6 is off the exact product by half a unit in the last place at most
        margin = np.maximum(1e-6, 4.0 * np.abs(np.spacing(scaled)))
        near_tie = ~(np.abs(scaled - np.floor(scaled) - 0.5) >= margin)
    near_tie |= np.abs(scaled) > 2.0**52
    out: list[float] = rounded.tolist()
    for i in np.flatnonzero(near_tie).tolist():
        out[i] = round(float(values.flat[i]), 6)
    return out
