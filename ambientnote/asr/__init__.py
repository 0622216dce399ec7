"""Speech recognition: faster-whisper behind Silero VAD, batch and streaming, with speakers and roles.

    transcribe_file(path, cfg=…) -> Transcript          a recording, start to finish
    transcribe_audio(array, cfg=…) -> Transcript        the same for 16 kHz mono float32
    StreamingTranscriber(cfg=…).feed(block) / finish()  live, while recording
    load_asr_model(name, cfg=…)                          verified, cached model

Each takes the caller's ``Settings`` (``cfg``): the default model, threads, beam size and vocabulary.
"""

import ambientnote.offline  # noqa: F401  (before faster_whisper is imported anywhere)
from ambientnote.asr.batch import transcribe_audio, transcribe_file
from ambientnote.asr.engine import LoadedModel, load_asr_model
from ambientnote.asr.streaming import StreamingTranscriber

__all__ = ["LoadedModel", "StreamingTranscriber", "load_asr_model", "transcribe_audio", "transcribe_file"]
