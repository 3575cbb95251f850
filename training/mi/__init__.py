"""Training, fine-tuning and benchmarking of the MI analyzer (`pathways.mi`).

`training.py` reads AnnoMI and our own examples, fits the TF-IDF vocabularies and the classifiers (with
scikit-learn) and cross-validates; `finetune.py` and `dialogue_training.py` need PyTorch; `train.py` writes the
shipped model into src/pathways/mi/model/ and `bench.py` measures it. The app reads only what they write.
"""
