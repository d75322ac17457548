"""Speech in and out: decoding audio, recognition (faster-whisper), synthesis (Piper, with
espeak-ng as the fallback voice) and the microphone. Qt-free; dataclasses in and out."""
