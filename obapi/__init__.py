"""The 1EdTech Open Badges 3.0 API: Laurel as an OB 3.0 host (service description, OAuth 2.0 with PKCE and
dynamic client registration, getCredentials, upsertCredential, getProfile, putProfile)."""
