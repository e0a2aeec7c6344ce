"""k-means from scikit-learn, scored by the silhouette."""

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from application.shoppers.ports import KMeansFit
from domain.shoppers.clustering import Matrix


class SklearnClusterer:
    def __init__(self, seed: int = 0, silhouette_sample: int = 5000) -> None:
        self.seed = seed
        self.silhouette_sample = silhouette_sample

    def fit(self, vectors: Matrix, k: int) -> KMeansFit:
        model = KMeans(n_clusters=k, n_init=5, random_state=self.seed).fit(vectors)
        labels = np.asarray(model.labels_)
        if len(np.unique(labels)) < 2:
            score = -1.0
        else:
            sample = min(self.silhouette_sample, len(vectors))
            score = float(silhouette_score(vectors, labels, sample_size=sample, random_state=self.seed))
        return KMeansFit(
            labels=[int(v) for v in labels],
            centroids=[[float(v) for v in row] for row in model.cluster_centers_],
            silhouette=score,
        )
