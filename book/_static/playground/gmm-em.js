/* EM for Gaussian mixtures: a JavaScript port of the step functions of the gmm_teach package.
 *
 * Every function ported from the package is headed by "mirrors" and the Python it ports, in
 * gmm_teach/em.py, gaussian.py, covariance.py, selection.py, kmeans.py, init.py or _validation.py
 * (tests/test_playground_node.py checks that each is defined there, and runs this file under
 * Node against the package). Each computes the same quantities in the same order, so that the
 * two agree to rounding: log space and log-sum-exp in the E-step, Cholesky factors of the
 * precisions, reg_covar added to the diagonal, 10 eps added to N_k, and scikit-learn's stopping
 * rule on the change of the mean log-likelihood per sample.
 *
 * Arrays are nested as in the package: X (n, d), weights (K,), means (K, d), and covariances
 * shaped by the covariance type: "full" (K, d, d), "tied" (d, d), "diag" (K, d), "spherical" (K,).
 *
 * The page exposes window.gmmExplorer.fit(X, weights, means, covariances, covarianceType,
 * {maxIter, tol, regCovar}), the counterpart of gmm_teach.em.em, for tests and curious readers.
 */
(function (global) {
  "use strict";

  const EPS = Number.EPSILON; // machine epsilon eps, numpy's np.finfo(float).eps
  const LOG_2PI = Math.log(2 * Math.PI);
  const COVARIANCE_TYPES = ["full", "tied", "diag", "spherical"];
  const NOT_POSITIVE_DEFINITE =
    "covariances must be positive definite, but WHICH is not (a component may have collapsed " +
    "onto a point). Raise reg_covar (e.g. 1e-3), use fewer components, or scale the data.";

  // ------------------------------------------------------------------ small linear algebra

  function zeros(rows, cols) {
    return Array.from({ length: rows }, () => new Array(cols).fill(0));
  }

  function transpose(A) {
    return A[0].map((_, j) => A.map((row) => row[j]));
  }

  function sum(values) {
    let total = 0;
    for (const v of values) total += v;
    return total;
  }

  // np.linalg.cholesky: lower-triangular L with A = L L^T, or null if A is not positive definite
  function cholesky(A) {
    const d = A.length;
    const L = zeros(d, d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        let s = A[i][j];
        for (let m = 0; m < j; m++) s -= L[i][m] * L[j][m];
        if (i === j) {
          if (!(s > 0)) return null;
          L[i][i] = Math.sqrt(s);
        } else {
          L[i][j] = s / L[j][j];
        }
      }
    }
    return L;
  }

  // np.linalg.inv for a lower-triangular L, by forward substitution (the inverse is lower too)
  function invertLower(L) {
    const d = L.length;
    const inv = zeros(d, d);
    for (let col = 0; col < d; col++) {
      for (let i = col; i < d; i++) {
        let s = i === col ? 1 : 0;
        for (let m = col; m < i; m++) s -= L[i][m] * inv[m][col];
        inv[i][col] = s / L[i][i];
      }
    }
    return inv;
  }

  // ------------------------------------------------------------------ Gaussians (gaussian.py, covariance.py)

  // mirrors covariance._cholesky_precision: upper-triangular U = L^{-T}, U U^T = covariance^{-1}
  function choleskyPrecision(covariance, which) {
    const L = cholesky(covariance); // covariance = L L^T
    if (L === null) throw new RangeError(NOT_POSITIVE_DEFINITE.replace("WHICH", which));
    return transpose(invertLower(L)); // U = L^{-T}
  }

  // mirrors gaussian.cholesky_precisions: precision Cholesky factors, shaped like the covariances
  function choleskyPrecisions(covariances, covarianceType) {
    if (covarianceType === "full") {
      return covariances.map((c, k) => choleskyPrecision(c, `covariances[${k}]`));
    }
    if (covarianceType === "tied") return choleskyPrecision(covariances, "the tied covariance");
    const variances = covarianceType === "diag" ? covariances.flat() : covariances;
    if (variances.some((v) => !(v > 0))) {
      throw new RangeError(
        NOT_POSITIVE_DEFINITE.replace("WHICH", `a ${covarianceType} variance (<= 0)`));
    }
    return covarianceType === "diag"
      ? covariances.map((row) => row.map((v) => 1 / Math.sqrt(v)))
      : covariances.map((v) => 1 / Math.sqrt(v));
  }

  // mirrors the log_det_cholesky methods of covariance.Full, covariance.Tied, covariance.Diag and
  // covariance.Spherical: sum_j log U_jj = -1/2 log det Sigma_k, per component
  function logDetCholesky(precChol, covarianceType, nFeatures, nComponents) {
    const logDiagonal = (U) => sum(U.map((row, j) => Math.log(row[j])));
    if (covarianceType === "full") return precChol.map(logDiagonal);
    if (covarianceType === "tied") return new Array(nComponents).fill(logDiagonal(precChol));
    if (covarianceType === "diag") return precChol.map((row) => sum(row.map(Math.log)));
    return precChol.map((u) => nFeatures * Math.log(u)); // spherical: d equal diagonal entries
  }

  // row vector times matrix, x^T U
  function rowTimes(x, U) {
    return U[0].map((_, j) => {
      let s = 0;
      for (let m = 0; m < x.length; m++) s += x[m] * U[m][j];
      return s;
    });
  }

  // mirrors the squared_mahalanobis methods of covariance.Full, covariance.Tied, covariance.Diag
  // and covariance.Spherical: ||(x_i - mu_k)^T U_k||^2, shape (n, K)
  function squaredMahalanobis(X, means, precChol, covarianceType) {
    const K = means.length;
    const d = X[0].length;
    const maha = zeros(X.length, K);
    if (covarianceType === "full" || covarianceType === "tied") {
      for (let k = 0; k < K; k++) {
        const U = covarianceType === "full" ? precChol[k] : precChol;
        const muU = rowTimes(means[k], U); // as in Python: X @ U - mu @ U
        for (let i = 0; i < X.length; i++) {
          const x = X[i];
          let s = 0;
          for (let j = 0; j < d; j++) {
            let xU = 0; // (x_i^T U)_j
            for (let m = 0; m < d; m++) xU += x[m] * U[m][j];
            s += (xU - muU[j]) ** 2;
          }
          maha[i][k] = s;
        }
      }
      return maha;
    }
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < X.length; i++) {
        let s = 0;
        if (covarianceType === "diag") {
          for (let j = 0; j < d; j++) s += ((X[i][j] - means[k][j]) * precChol[k][j]) ** 2;
        } else {
          for (let j = 0; j < d; j++) s += (X[i][j] - means[k][j]) ** 2;
          s *= precChol[k] ** 2; // spherical: ||x_i - mu_k||^2 / sigma_k^2
        }
        maha[i][k] = s;
      }
    }
    return maha;
  }

  // mirrors gaussian.log_gaussian_density_cholesky: log N(x_i | mu_k, Sigma_k), shape (n, K)
  function logGaussianDensityCholesky(X, means, precChol, covarianceType) {
    const d = X[0].length;
    const maha = squaredMahalanobis(X, means, precChol, covarianceType);
    const logDet = logDetCholesky(precChol, covarianceType, d, means.length);
    return maha.map((row) => row.map((m, k) => -0.5 * (d * LOG_2PI + m) + logDet[k]));
  }

  // mirrors covariance.full_covariances: every type as K full (d, d) matrices, for drawing
  function fullCovariances(covariances, covarianceType, nComponents, nFeatures) {
    const K = Array.from({ length: nComponents }, (_, k) => k);
    if (covarianceType === "full") return covariances;
    if (covarianceType === "tied") return K.map(() => covariances);
    const diagonal = (values) => {
      const C = zeros(nFeatures, nFeatures);
      values.forEach((v, j) => { C[j][j] = v; });
      return C;
    };
    if (covarianceType === "diag") return covariances.map(diagonal);
    return covariances.map((v) => diagonal(new Array(nFeatures).fill(v)));
  }

  // ------------------------------------------------------------------ E-step (em.py, chapter 3)

  // mirrors em.log_sum_exp: log sum_k exp(a_ik) per row, shifted by the row maximum
  function logSumExp(a) {
    return a.map((row) => {
      const m = Math.max(...row);
      let s = 0;
      for (const v of row) s += Math.exp(v - m);
      return m + Math.log(s);
    });
  }

  // mirrors em._log_joint: log pi_k + log N(x_i | mu_k, Sigma_k), shape (n, K)
  function logJoint(X, weights, means, precChol, covarianceType) {
    const logWeights = weights.map(Math.log); // a weight of 0 gives -Infinity: r_ik = 0
    const logDensity = logGaussianDensityCholesky(X, means, precChol, covarianceType);
    return logDensity.map((row) => row.map((v, k) => logWeights[k] + v));
  }

  // mirrors em._e_step: {responsibilities (n, K), logLikelihood (total)} from precision factors
  function eStepCholesky(X, weights, means, precChol, covarianceType) {
    const joint = logJoint(X, weights, means, precChol, covarianceType);
    const evidence = logSumExp(joint); // (n,) log p(x_i)
    const responsibilities = joint.map((row, i) => row.map((v) => Math.exp(v - evidence[i])));
    return { responsibilities, logLikelihood: sum(evidence) };
  }

  // mirrors em.e_step: responsibilities by Bayes' rule in log space, and l(theta)
  function eStep(X, weights, means, covariances, covarianceType = "full") {
    checkParameters(X, weights, means, covariances, covarianceType);
    const precChol = choleskyPrecisions(covariances, covarianceType);
    return eStepCholesky(X, weights, means, precChol, covarianceType);
  }

  // mirrors em.log_likelihood: the total log-likelihood l(theta)
  function logLikelihood(X, weights, means, covariances, covarianceType = "full") {
    return eStep(X, weights, means, covariances, covarianceType).logLikelihood;
  }

  // ------------------------------------------------------------------ M-step (em.py, chapter 4)

  // mirrors em._covariances_full: Sigma_k = sum_i r_ik (x_i - mu_k)(x_i - mu_k)^T / N_k
  function covariancesFull(X, resp, nk, means) {
    const d = X[0].length;
    return means.map((mu, k) => {
      const C = zeros(d, d);
      for (let i = 0; i < X.length; i++) {
        const r = resp[i][k];
        for (let a = 0; a < d; a++) {
          const ra = r * (X[i][a] - mu[a]);
          for (let b = 0; b < d; b++) C[a][b] += ra * (X[i][b] - mu[b]);
        }
      }
      return C.map((row) => row.map((v) => v / nk[k]));
    });
  }

  // mirrors em._covariances_tied: the N_k-weighted average of the full covariances
  function covariancesTied(X, resp, nk, means) {
    const full = covariancesFull(X, resp, nk, means);
    const d = X[0].length;
    const total = sum(nk);
    const C = zeros(d, d);
    full.forEach((Ck, k) => Ck.forEach((row, a) => row.forEach((v, b) => {
      C[a][b] += nk[k] * v;
    })));
    return C.map((row) => row.map((v) => v / total));
  }

  // mirrors em._covariances_diag: sigma_kj^2 = sum_i r_ik (x_ij - mu_kj)^2 / N_k
  function covariancesDiag(X, resp, nk, means) {
    return means.map((mu, k) => mu.map((m, j) => {
      let s = 0;
      for (let i = 0; i < X.length; i++) s += resp[i][k] * (X[i][j] - m) ** 2;
      return s / nk[k];
    }));
  }

  // mirrors em._covariances_spherical: the mean of each component's per-feature variances
  function covariancesSpherical(X, resp, nk, means) {
    return covariancesDiag(X, resp, nk, means).map((row) => sum(row) / row.length);
  }

  const COVARIANCE_ESTIMATORS = {
    full: covariancesFull,
    tied: covariancesTied,
    diag: covariancesDiag,
    spherical: covariancesSpherical,
  };

  // mirrors the add_reg_covar methods of covariance._Matrices and covariance._Variances (the
  // bases of "full" and "tied", and of "diag" and "spherical"): reg_covar added to every diagonal
  function addRegCovar(covariances, covarianceType, regCovar) {
    const addToDiagonal = (C) => C.map((row, a) => row.map((v, b) => (a === b ? v + regCovar : v)));
    if (covarianceType === "full") return covariances.map(addToDiagonal);
    if (covarianceType === "tied") return addToDiagonal(covariances);
    if (covarianceType === "diag") return covariances.map((row) => row.map((v) => v + regCovar));
    return covariances.map((v) => v + regCovar);
  }

  // mirrors em._m_step: {weights, means, covariances} from responsibilities
  function mStepUnchecked(X, resp, covarianceType, regCovar) {
    const K = resp[0].length;
    const d = X[0].length;
    const nk = new Array(K).fill(0); // N_k = sum_i r_ik
    for (const row of resp) row.forEach((r, k) => { nk[k] += r; });
    for (let k = 0; k < K; k++) nk[k] += 10 * EPS; // keeps an empty component finite
    const total = sum(nk);
    const weights = nk.map((v) => v / total); // pi_k = N_k / n
    const means = zeros(K, d); // mu_k = sum_i r_ik x_i / N_k
    resp.forEach((row, i) => row.forEach((r, k) => {
      for (let j = 0; j < d; j++) means[k][j] += r * X[i][j];
    }));
    means.forEach((mu, k) => mu.forEach((v, j) => { mu[j] = v / nk[k]; }));
    const covariances = COVARIANCE_ESTIMATORS[covarianceType](X, resp, nk, means);
    return { weights, means, covariances: addRegCovar(covariances, covarianceType, regCovar) };
  }

  // mirrors em.m_step: the closed-form M-step, with reg_covar on every diagonal
  function mStep(X, responsibilities, covarianceType = "full", regCovar = 1e-6) {
    checkCovarianceType(covarianceType);
    checkMatrix(X, "X");
    checkMatrix(responsibilities, "responsibilities");
    if (responsibilities.length !== X.length) {
      throw new RangeError(
        `responsibilities must have one row per sample of X (${X.length}), ` +
        `got ${responsibilities.length}`);
    }
    return mStepUnchecked(X, responsibilities, covarianceType, checkNonnegative(regCovar, "regCovar"));
  }

  // ------------------------------------------------------------------ the loop (em.py)

  // mirrors em.em and em.run_em: EM from given starting parameters, scikit-learn's stopping rule
  function fit(X, weights, means, covariances, covarianceType = "full", options = {}) {
    const { maxIter = 100, tol = 1e-3, regCovar = 1e-6 } = options;
    checkParameters(X, weights, means, covariances, covarianceType);
    if (X.length < weights.length) {
      throw new RangeError(
        `X must have at least n_components=${weights.length} samples, got ${X.length}`);
    }
    checkInteger(maxIter, "maxIter");
    checkNonnegative(tol, "tol");
    checkNonnegative(regCovar, "regCovar");
    const n = X.length;
    const eStepOf = (p) => eStepCholesky(
      X, p.weights, p.means, choleskyPrecisions(p.covariances, covarianceType), covarianceType);
    let params = { weights, means, covariances };
    const logLikelihoods = [];
    let change = Infinity;
    let lowerBound = -Infinity;
    for (let iteration = 1; iteration <= maxIter; iteration++) {
      const { responsibilities, logLikelihood: ll } = eStepOf(params); // E-step on theta^(t-1)
      params = mStepUnchecked(X, responsibilities, covarianceType, regCovar); // M-step: theta^(t)
      change = ll / n - lowerBound;
      lowerBound = ll / n;
      logLikelihoods.push(ll);
      if (Math.abs(change) < tol) break;
    }
    const final = eStepOf(params); // l of the returned parameters
    return {
      weights: params.weights,
      means: params.means,
      covariances: params.covariances,
      logLikelihoods,
      nIter: logLikelihoods.length,
      converged: Math.abs(change) < tol,
      finalLogLikelihood: final.logLikelihood,
    };
  }

  // ------------------------------------------------------------------ BIC and AIC (selection.py)

  // mirrors selection.n_parameters: the number of free parameters nu of a mixture
  function nParameters(nComponents, nFeatures, covarianceType = "full") {
    checkCovarianceType(covarianceType);
    const K = nComponents;
    const d = nFeatures;
    const covarianceParameters = {
      full: (K * d * (d + 1)) / 2,
      tied: (d * (d + 1)) / 2,
      diag: K * d,
      spherical: K,
    }[covarianceType];
    return K - 1 + K * d + covarianceParameters;
  }

  // mirrors selection.bic: -2 l + nu ln n, from the total log-likelihood l
  function bic(logLik, nComponents, nSamples, nFeatures, covarianceType) {
    return -2 * logLik + nParameters(nComponents, nFeatures, covarianceType) * Math.log(nSamples);
  }

  // mirrors selection.aic: -2 l + 2 nu
  function aic(logLik, nComponents, nFeatures, covarianceType) {
    return -2 * logLik + 2 * nParameters(nComponents, nFeatures, covarianceType);
  }

  // ------------------------------------------------------------------ starts (kmeans.py, init.py)

  // a small seeded generator of uniform numbers in [0, 1) (mulberry32); not numpy's stream
  function randomGenerator(seed) {
    let a = seed >>> 0;
    return function random() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function squaredDistance(x, y) {
    let s = 0;
    for (let j = 0; j < x.length; j++) s += (x[j] - y[j]) ** 2;
    return s;
  }

  // an index drawn with probability proportional to p (uniform when p sums to 0)
  function drawIndex(p, random) {
    const total = sum(p);
    if (!(total > 0)) return Math.floor(random() * p.length);
    let u = random() * total;
    for (let i = 0; i < p.length; i++) {
      u -= p[i];
      if (u < 0) return i;
    }
    return p.length - 1;
  }

  // mirrors kmeans.kmeans_plusplus_indices (greedy, 2 + ln K trials), continued from `centers`
  function kmeansPlusPlus(X, nClusters, random, centers = []) {
    const chosen = centers.slice();
    if (chosen.length === 0) chosen.push(X[Math.floor(random() * X.length)]);
    const nTrials = 2 + Math.floor(Math.log(nClusters));
    let closest = X.map((x) => Math.min(...chosen.map((c) => squaredDistance(x, c)))); // D(x)^2
    while (chosen.length < nClusters) {
      let best = null;
      for (let trial = 0; trial < nTrials; trial++) {
        const candidate = drawIndex(closest, random);
        const next = X.map((x, i) => Math.min(closest[i], squaredDistance(x, X[candidate])));
        const potential = sum(next);
        if (best === null || potential < best.potential) best = { candidate, next, potential };
      }
      chosen.push(X[best.candidate]);
      closest = best.next;
    }
    return chosen.slice(centers.length).map((x) => x.slice());
  }

  // mirrors the "random_from_data" method of init.initial_responsibilities: distinct random points
  function randomFromData(X, nClusters, random) {
    const indices = Array.from(X.keys());
    for (let i = 0; i < nClusters; i++) { // a partial Fisher-Yates shuffle
      const j = i + Math.floor(random() * (indices.length - i));
      [indices[i], indices[j]] = [indices[j], indices[i]];
    }
    return indices.slice(0, nClusters).map((i) => X[i].slice());
  }

  // ------------------------------------------------------------------ input checks (_validation.py)

  function checkCovarianceType(covarianceType) {
    if (!COVARIANCE_TYPES.includes(covarianceType)) {
      throw new RangeError(
        `covarianceType must be one of 'full', 'tied', 'diag', 'spherical'; got ${covarianceType}`);
    }
  }

  function checkNumbers(values, name) {
    values.forEach((v) => {
      if (typeof v !== "number") throw new TypeError(`${name} must hold numbers, got ${typeof v}`);
      if (!Number.isFinite(v)) throw new RangeError(`${name} must hold only finite numbers, got ${v}`);
    });
  }

  // an array nested `depth` levels deep whose every level has the given length (null: any)
  function checkShape(a, name, shape) {
    const describe = "(" + shape.map((s) => (s === null ? "any" : s)).join(", ") + ")";
    const walk = (value, level) => {
      if (level === shape.length) return [value];
      if (!Array.isArray(value) || (shape[level] !== null && value.length !== shape[level])) {
        throw new RangeError(`${name} must be an array of shape ${describe}`);
      }
      return value.flatMap((v) => walk(v, level + 1));
    };
    checkNumbers(walk(a, 0), name);
  }

  function checkMatrix(a, name) {
    if (!Array.isArray(a) || a.length === 0 || !Array.isArray(a[0]) || a[0].length === 0) {
      throw new RangeError(`${name} must be a non-empty array of rows`);
    }
    checkShape(a, name, [a.length, a[0].length]);
  }

  const COVARIANCE_SHAPES = {
    full: (K, d) => [K, d, d],
    tied: (K, d) => [d, d],
    diag: (K, d) => [K, d],
    spherical: (K) => [K],
  };

  // mirrors _validation.check_parameters: shapes, finite numbers, weights summing to one
  function checkParameters(X, weights, means, covariances, covarianceType) {
    checkCovarianceType(covarianceType);
    checkMatrix(X, "X");
    checkMatrix(means, "means");
    const K = means.length;
    const d = means[0].length;
    if (X[0].length !== d) {
      throw new RangeError(
        `means and X must agree on the number of features: means has ${d}, X has ${X[0].length}`);
    }
    checkShape(weights, "weights", [K]);
    if (weights.some((w) => w < 0)) throw new RangeError("weights must be nonnegative");
    if (Math.abs(sum(weights) - 1) > 1e-6) {
      throw new RangeError(`weights must sum to one, got sum ${sum(weights)}`);
    }
    checkShape(covariances, "covariances", COVARIANCE_SHAPES[covarianceType](K, d));
  }

  function checkNonnegative(value, name) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
    }
    return value;
  }

  function checkInteger(value, name) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`${name} must be an integer >= 0, got ${value}`);
    }
    return value;
  }

  global.gmmExplorer = Object.assign(global.gmmExplorer || {}, {
    COVARIANCE_TYPES,
    EPS,
    choleskyPrecisions,
    fullCovariances,
    logSumExp,
    eStep,
    eStepCholesky,
    logLikelihood,
    mStep,
    fit,
    nParameters,
    bic,
    aic,
    randomGenerator,
    kmeansPlusPlus,
    randomFromData,
  });
})(window);
