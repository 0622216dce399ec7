"""The visit record: typed clinical facts drawn from a transcript, each citing the turns it rests on."""
