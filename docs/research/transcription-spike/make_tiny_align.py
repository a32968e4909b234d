"""Create (1) a tiny randomly initialised Wav2Vec2ForCTC + processor dir usable by
whisperx.load_align_model(model_name=<dir>) and (2) a minimal NLTK punkt_tab/english dir
(pickle-free format: 4 text files) so whisperx.align never calls nltk.download.
usage: make_tiny_align.py OUT_DIR  -> OUT_DIR/w2v2-tiny, OUT_DIR/nltk_data"""
import json, os, sys
import torch
from transformers import (Wav2Vec2Config, Wav2Vec2CTCTokenizer, Wav2Vec2FeatureExtractor,
                          Wav2Vec2ForCTC, Wav2Vec2Processor)

out = sys.argv[1] if len(sys.argv) > 1 else "tiny_align"
mdir = os.path.join(out, "w2v2-tiny"); os.makedirs(mdir, exist_ok=True)
# same layout as facebook/wav2vec2-base-960h: <pad>=0 is the CTC blank, "|" is the word delimiter
vocab = {"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3, "|": 4}
for c in "etaoinshrdlucmfwgypbvk'xjqz".upper():
    vocab[c] = len(vocab)
json.dump(vocab, open(os.path.join(mdir, "vocab.json"), "w"))
tok = Wav2Vec2CTCTokenizer(os.path.join(mdir, "vocab.json"), unk_token="<unk>", pad_token="<pad>",
                           word_delimiter_token="|", do_lower_case=False)
fe = Wav2Vec2FeatureExtractor(feature_size=1, sampling_rate=16000, padding_value=0.0,
                              do_normalize=True, return_attention_mask=False)
Wav2Vec2Processor(feature_extractor=fe, tokenizer=tok).save_pretrained(mdir)
cfg = Wav2Vec2Config(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, conv_dim=(32,) * 7,  # kernels/strides default: 320x downsampling, 20 ms frames
                     num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=4, pad_token_id=0,
                     do_stable_layer_norm=False, feat_extract_norm="group")
torch.manual_seed(0)
Wav2Vec2ForCTC(cfg).save_pretrained(mdir)

pdir = os.path.join(out, "nltk_data", "tokenizers", "punkt_tab", "english"); os.makedirs(pdir, exist_ok=True)
for f, text in {"abbrev_types.txt": "dr\nmr\nmrs\nms\netc\ne.g\ni.e\nvs\n", "collocations.tab": "",
                "sent_starters.txt": "", "ortho_context.tab": ""}.items():
    open(os.path.join(pdir, f), "w").write(text)
print("wrote", mdir, pdir)
