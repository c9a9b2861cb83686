"""gmm_teach: Gaussian mixtures from scratch, the companion package of the
book.

To read the mathematics, read the modules of ``gmm_teach/`` and skip
``gmm_teach/teaching/``. The modules here are the numerical core (NumPy only),
one idea a module (see the book's notation page for every symbol):

- :mod:`gmm_teach.em1d`: EM in one dimension (chapter 5)
- :mod:`gmm_teach.gaussian`: Gaussian log-densities through Cholesky factors
  (chapters 2, 3)
- :mod:`gmm_teach.covariance`: the covariance types, one class each (chapter 8)
- :mod:`gmm_teach.em`: EM in d dimensions: E-step, M-step, log-likelihood
  (chapters 3, 4, 6)
- :mod:`gmm_teach.kmeans`: Lloyd's K-Means and k-means++ (chapter 1)
- :mod:`gmm_teach.init`: initial parameters (chapter 7)
- :mod:`gmm_teach.model`: ``GaussianMixture``, scikit-learn's interface
  (chapter 10)
- :mod:`gmm_teach.selection`: parameter counts, BIC, AIC (chapter 9)
- :mod:`gmm_teach.special`: log Gamma and digamma (chapter 12)
- :mod:`gmm_teach.variational`: the priors and the variational E- and M-steps
  of a Bayesian mixture (chapter 12)
- :mod:`gmm_teach.elbo`: its lower bounds, scikit-learn's and Bishop's full
  one (chapter 12)
- :mod:`gmm_teach.predictive`: its posterior predictive density, a mixture of
  Student's t (chapter 12)
- :mod:`gmm_teach.bayesian`: ``BayesianGaussianMixture``, scikit-learn's
  interface (chapter 12)
- :mod:`gmm_teach.patterns`, :mod:`gmm_teach.conditional`,
  :mod:`gmm_teach.missing`, :mod:`gmm_teach.impute`: missing values, the
  conditional Gaussian, EM on the observed data, filling in (chapter 11)
- :mod:`gmm_teach.stats`, :mod:`gmm_teach.stepwise`: EM's sufficient
  statistics block by block, and stepwise EM on a stream (chapter 13);
  ``gmm_teach._dask`` runs the same EM on a Dask array
- :mod:`gmm_teach.exceptions` and :mod:`gmm_teach._validation`: the warning,
  the errors and the input checks every public function calls

:mod:`gmm_teach.teaching` is the teaching layer the chapters import besides:
the book's data sets, figures and players, classroom widgets and the
exercises' self-checks. It reads the core, the core never reads it, and
``import gmm_teach`` loads none of it (nor Matplotlib, nor ipywidgets).
"""

from gmm_teach.bayesian import BayesianGaussianMixture
from gmm_teach.exceptions import ConvergenceWarning
from gmm_teach.impute import GaussianMixtureImputer
from gmm_teach.model import GaussianMixture

__all__ = [
    "BayesianGaussianMixture",
    "ConvergenceWarning",
    "GaussianMixture",
    "GaussianMixtureImputer",
]
__version__ = "0.2.0.dev0"  # the one place; pyproject.toml reads it
