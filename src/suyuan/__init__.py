"""suyuan — 正品溯源."""
