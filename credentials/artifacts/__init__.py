"""The downloadable documents of an award, derived from it and stored: baked badge images (`images`),
certificate PDFs (`pdf`, drawn by `pdf_renderer` with the shipped `fonts/`, sped up by `shims` and
`qrcodes`), the REVOKED marks both carry (`revocation_marks`), and what the artefact tasks run (`build`).
"""
