"""The transcript: the shared currency between ASR, speakers, drafting and the store."""

from ambientnote.transcript.model import Role, Segment, Transcript, Word

__all__ = ["Role", "Segment", "Transcript", "Word"]
