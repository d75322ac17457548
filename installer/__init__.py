"""Building the installer: the PyInstaller bundle, the Debian package and their checks."""
