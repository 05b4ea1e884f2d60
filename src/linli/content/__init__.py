"""Community content: posts (UGC, PGC, recipes linked to products, reviews), polls and co-creation votes,
the topic wall per community, likes, favourites, comments."""
