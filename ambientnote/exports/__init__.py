"""Everything that leaves the app as a note: the exported document (header, needs-review list, the note's own
templates), its PDF layout decisions and its FHIR R4 resources.

Why a package of its own: the CLI's ``note export``, ``encounter show`` and the GUI's Copy as text, Export
PDF and Export FHIR must all print the same words, so they all build one ``ExportDocument`` here and render
it through ``templates/notes/``. Nothing here imports Qt (the PDF painter is ``ambientnote.gui.pdf``) or
touches the store; ``ambientnote.store.note_export`` reads the note, audits the export and calls in.
"""
