"""Pure receivables logic: DataFrames in, DataFrames out. No I/O, no clock, no Excel."""
