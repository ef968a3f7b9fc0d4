"""The demo's schedule of a child's attentions (codes, due ages, LAB values) and the drawn attentions, before any
file layout: what both the project's records layout (``records``) and the HIS exports (``his_export``) are
written from."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

import numpy as np

# (code, age in days at which it is due, spread in days, how likely a child's typical attendance covers it)
SCHEDULE: list[tuple[str, int, int, float]] = (
    # The newborn package: BCG and HvB on the day of birth or the next, screening on day 3, four CRED checks.
    [("90585", 0, 1, 0.99), ("90744", 0, 1, 0.99), ("36416", 3, 1, 0.99)]
    + [("99381.01", d, 1, 0.99) for d in (4, 10, 18, 26)]
    + [("Z001", 30 * k, 3, 0.97) for k in range(1, 12)]
    + [("Z001", 365 + 60 * k, 15, 0.7) for k in range(6)]
    + [("Z001", 730 + 90 * k, 20, 0.6) for k in range(4)]
    + [(c, d, 8, 0.99) for d in (60, 120, 180) for c in ("90723", "90713")]
    + [(c, d, 8, 0.99) for d in (60, 120) for c in ("90681", "90670")]
    + [("99199.17", 30 * m + 10, 8, 0.62) for m in range(6, 36)]
    + [("85018", d, 20, 0.75) for d in (190, 365, 545, 730, 1000)]
    + [(c, 20 * k + 10, 12, 0.4) for k in range(54) for c in ("J069", "A09X")]
)
CODES = np.array([s[0] for s in SCHEDULE])
CONSULTATIONS = ("J069", "A09X")  # other consultations: no definition counts them


def _lab(k: int) -> str:
    """The HIS LAB value of schedule item ``k`` (HIS.md §3): the dose number of a vaccine, SF1… for an iron
    delivery, the test number of a haemoglobin test; empty for CRED Z001 and consultations."""
    code = SCHEDULE[k][0]
    nth = sum(1 for c, *_ in SCHEDULE[:k] if c == code)  # earlier items of the same code
    if code == "99199.17":
        return f"SF{nth % 6 + 1}"
    if code in ("90723", "90713", "90681", "90670", "85018", "99381.01"):
        return str(min(nth + 1, 4))
    return ""


LABS = np.array([_lab(k) for k in range(len(SCHEDULE))])
CODE_INDEX = np.unique(CODES, return_inverse=True)[1]
HB_CODE = "85018"


@dataclass(frozen=True)
class Attentions:
    """The drawn attentions, one per (child, day, code), in date order, before any file layout: what both the
    project's records layout and the HIS exports (``his_export``) are written from."""

    item: np.ndarray  # index into SCHEDULE
    child: np.ndarray  # 0 … children-1
    day: np.ndarray  # datetime64[D]
    facility: np.ndarray  # row of the facilities table
    hb: np.ndarray  # g/dL with the altitude effect on haemoglobin tests, NaN elsewhere
    born: np.ndarray  # per child
    sex: np.ndarray  # per child, M/F
    home: np.ndarray  # per child: the facility it belongs to (its district is its residence)
    first_child: int
    seed: int

    @property
    def codes(self) -> np.ndarray:
        return CODES[self.item]

    @property
    def labs(self) -> np.ndarray:
        return LABS[self.item]

    def only(self, codes: Collection[str]) -> Attentions:
        """The attentions of these codes, each exactly as drawn (the others' draws are left out, not redrawn)."""
        keep = np.isin(self.codes, list(codes))
        return replace(
            self,
            item=self.item[keep],
            child=self.child[keep],
            day=self.day[keep],
            facility=self.facility[keep],
            hb=self.hb[keep],
        )

    def ids(self) -> np.ndarray:
        """The pseudonym of each attention's child in the project's layout (``N`` + hex): never a document."""
        return np.char.add(
            "N",
            np.char.zfill(
                np.char.mod("%x", self.child + self.first_child + (self.seed % 997) * 10_000_000), 9
            ),
        )
