"""Leader assessment (团长考核): ratings after pickup, monthly multi-metric scores, titles, warnings →
help plans → replacement suggestions."""
