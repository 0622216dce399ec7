"""The figures ``ambientnote bench`` reports, one module per part, kept apart from what they measure.

``run`` times the parts and writes the table; ``asr``, ``draft``, ``store`` and ``gui`` each measure one
stage. Nothing in the app imports this package: it sits above every package it times, so a benchmark can
build whatever throw-away store or process it needs without the measured code knowing about it. ``gui``
starts Qt in a child process and is loaded only by ``ambientnote bench --part gui``.
"""
