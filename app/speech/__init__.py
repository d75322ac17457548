"""Speech in and out: decoding audio, recognition (faster-whisper), synthesis (Piper, with
espeak-ng as the fallback voice) and the microphone. Qt-free; dataclasses in and out."""

import os

# Models come from pinned packages only: the Hugging Face libraries that faster-whisper pulls
# in must never try a hub, whichever speech module is imported first.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
