"""FAQ store, lexical (and later dense) retrieval, and the answer/clarify/none decision."""
