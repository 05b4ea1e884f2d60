"""Who the members are: dynamic tags from rules over behaviour, segments as boolean combinations of tags, RFM."""
