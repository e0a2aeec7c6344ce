"""The arms of the search-ranking experiment, named once.

Arm names are data that reach the event log, the analytics rollups and the HTTP contract (a
user's `group`), so every layer reads them from here rather than writing its own copy.
"""

from typing import Final

# Treatment: the ranker (the learned model, or the formula) orders the results.
PERSONALIZED_ARM: Final = "personalized"
# Control: the same matches, in stored popularity order.
POPULARITY_ARM: Final = "popularity"

ARMS: Final = (PERSONALIZED_ARM, POPULARITY_ARM)
CONTROL_ARM: Final = POPULARITY_ARM
TREATMENT_ARM: Final = PERSONALIZED_ARM
