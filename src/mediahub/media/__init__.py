"""The shared media pipeline: sniffing, streaming uploads (photos, audio, video)."""
