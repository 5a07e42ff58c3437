"""factpipe: published reports to a versioned, reviewable dataset of statistics."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("factpipe")
except PackageNotFoundError:  # running from a checkout without installing
    __version__ = "0.0.0+local"
