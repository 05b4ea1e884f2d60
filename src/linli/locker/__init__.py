"""Smart lockers: compartments by size, depositing an order with an opening code and an expiry, collection with the
code, expired parcels taken back."""
