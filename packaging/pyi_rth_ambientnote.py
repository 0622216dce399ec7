"""PyInstaller runtime hook: make the bundled PortAudio the one sounddevice loads.

On Linux sounddevice asks ``ctypes.util.find_library("portaudio")``, which only
looks at the system's linker cache: on a workstation without libportaudio2 the
bundled copy would never be found. This hook answers with the bundled library.
"""

import ctypes.util
import glob
import os
import sys

_system_find_library = ctypes.util.find_library


def _find_library(name):
    if name == "portaudio":
        bundled = sorted(glob.glob(os.path.join(sys._MEIPASS, "libportaudio.so*")))
        if bundled:
            return bundled[0]
    return _system_find_library(name)


ctypes.util.find_library = _find_library
