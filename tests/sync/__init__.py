"""TrustVault's tests (a package, so helpers import by their path)."""
