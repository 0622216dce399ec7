"""Building what the app loads from training data, never from validation or test splits.

The note writer's LoRA adapter (``pairs`` → ``lora`` → ``export``, driven by ``run`` for ``ambientnote
train``; ``prompt`` is the instruction it was tuned with) and the speaker-role lexicon (``roles``). The app
reads only their artifacts under ``models/``; it never imports this package.
"""
