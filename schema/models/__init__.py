"""The models domain: live lists, saved models and the mutations between them."""
