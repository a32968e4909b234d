"""Authentication: MAX mini-app sign-in and Mediahub session tokens."""
