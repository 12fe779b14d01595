"""Goal tracking: the pure evaluation engine (`engine`), indicator arithmetic
(`indicators`) and decomposition (`decomposition`). No Django in these modules."""
