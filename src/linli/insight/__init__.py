"""Small-data insight: heatmaps by building and household type, assortment advice per community, stock turnover."""
