# Peers (peers/) are plain Python; the sandbox backend model demonstrates the shared base.
from . import models
