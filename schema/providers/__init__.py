"""The providers domain: registry kinds and the stored instances admins add and change."""
