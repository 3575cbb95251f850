"""What the library holds about a person: nothing. Its pieces are the programme's writing, listed here only
because a piece may belong to an organisation, which names its on-duty professional; deleting an account
touches no piece."""
from pathways.lib.personal_data import holds

holds("library_pieces", models=["library.Piece"])
