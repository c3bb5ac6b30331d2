"""NumPy port of the float64 reference trainer (src/training/reference), for the long Cora runs.

Replays a run written by bench/crosscheck/exportRun.ts: our prepared data, our initial weights
and our dropout masks (recomputed from the exported keys with the counter-based hash of
src/training/model.ts), so the port trains the same network on the same numbers. Only the
authors' protocol is covered: GCN layers Z = Â(dropout(H)W) with rw propagation, a norm
(none, layernorm or contranorm in its mask/code/identity forms), ReLU, no residual, a
dropout + linear read-out, mean softmax cross-entropy on the training nodes, PyTorch-style Adam
with L2 weight decay, evaluation without dropout after every update, and the test accuracy of
the first epoch of best validation accuracy.

ContraNorm forms S = softmax(rn(Z) rn(Z)^T / tau) as a dense N x N matrix per layer and keeps
it for the backward pass: N = 2708 needs 16 x 59 MB in float64, which a laptop has; the app
itself streams S and never forms it.

  python3 bench/crosscheck/port.py run.json [--dtype float64|float32] [--quiet]

With the run's `reference` epochs present (exportRun.ts --check K) it first prints the largest
relative loss difference against our reference over those epochs. Needs numpy and scipy.
"""

import json
import sys
import time

import numpy as np
import scipy.sparse as sp

GOLDEN = np.uint32(0x9E3779B9)


def fmix32(h):
    """MurmurHash3's finalizer on a uint32 array (src/math/random.ts fmix32)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def keep_mask(key, index, p):
    """Inverted-dropout factors of the entries `index` (uint32 row-major indices) under `key`."""
    u = fmix32(np.uint32(key) + index * GOLDEN).astype(np.float64) / 4294967296.0
    return np.where(u >= p, 1.0 / (1.0 - p), 0.0)


def main():
    args = sys.argv[1:]
    path = args[0]
    dt = np.dtype(args[args.index('--dtype') + 1] if '--dtype' in args else 'float64')
    quiet = '--quiet' in args
    run = json.load(open(path))
    cfg = run['config']
    norm = cfg['norm']
    kind, variant, s, tau = norm['kind'], norm['variant'], norm['s'], norm['tau']
    if kind not in ('none', 'layernorm', 'contranorm') or variant == 'paper':
        raise SystemExit(f'the port covers none, layernorm and contranorm (mask/code/identity), not {kind}/{variant}')
    n, classes, dims = run['n'], run['classes'], run['dims']
    depth, epochs, p = cfg['layers'], cfg['epochs'], cfg['dropout']
    lr, wd = cfg['lr'], cfg['weightDecay']

    f = run['features']
    rowptr = np.array(f['rowPtr'], dtype=np.int64)
    fcol = np.array(f['col'], dtype=np.int64)
    X = sp.csr_matrix((np.array(f['val'], dtype=dt), fcol, rowptr), shape=(n, dims[0]))
    frow = np.repeat(np.arange(n, dtype=np.int64), np.diff(rowptr))
    x_index = (frow * dims[0] + fcol).astype(np.uint32)  # dense row-major index of each non-zero

    g = run['graph']
    grow = np.repeat(np.arange(n), np.diff(np.array(g['rowPtr'])))
    gcol = np.array(g['colIdx'], dtype=np.int64)
    gw = np.ones(len(gcol)) if g['weights'] is None else np.array(g['weights'], dtype=np.float64)
    deg = 1.0 + np.bincount(grow, weights=gw, minlength=n)  # Ã = A + I (SPEC §1.1)
    A_hat = sp.csr_matrix(
        (np.r_[1.0 / deg, gw / deg[grow]].astype(dt), (np.r_[np.arange(n), grow], np.r_[np.arange(n), gcol])),
        shape=(n, n),
    )
    A_hatT = A_hat.T.tocsr()
    # ContraNorm `mask`: self and neighbours (non-zero weight) are removed from the softmax.
    keep_edges = gw != 0
    mask_rows = np.r_[np.arange(n), grow[keep_edges]]
    mask_cols = np.r_[np.arange(n), gcol[keep_edges]]

    labels = np.array(run['labels'])
    tr, va, te = (np.array(run['split'][k], dtype=np.int64) for k in ('train', 'val', 'test'))
    Ws = [np.array(w, dtype=dt).reshape(dims[l], dims[l + 1]) for l, w in enumerate(run['layers'])]
    W_out = np.array(run['out'], dtype=dt).reshape(dims[depth], classes)
    params = Ws + [W_out]
    adam_m = [np.zeros_like(w) for w in params]
    adam_v = [np.zeros_like(w) for w in params]
    dense_index = {d: np.arange(n * d, dtype=np.uint32).reshape(n, d) for d in set(dims[1:])}

    S_train = [np.empty((n, n), dt) for _ in range(depth)] if kind == 'contranorm' else []
    S_eval = np.empty((n, n), dt) if kind == 'contranorm' else None
    DS_buf = np.empty((n, n), dt) if kind == 'contranorm' else None
    keep_coef = 1 + s if variant == 'identity' else 1.0

    def layernorm(y):
        mu = y.mean(1, keepdims=True)
        sig = np.sqrt(((y - mu) ** 2).mean(1, keepdims=True) + 1e-5)
        return (y - mu) / sig, sig

    def layernorm_back(xhat, sig, gout):
        return (gout - gout.mean(1, keepdims=True) - xhat * (gout * xhat).mean(1, keepdims=True)) / sig

    def contranorm(z, S):
        r = np.sqrt((z * z).sum(1, keepdims=True))
        u = z / np.maximum(r, 1e-12)
        np.matmul(u, u.T, out=S)
        if tau != 1:
            S /= tau
        if variant == 'mask':
            S[mask_rows, mask_cols] = -np.inf
        mx = S.max(1, keepdims=True)
        full = np.isfinite(mx).ravel()
        mx[~full] = 0
        np.subtract(S, mx, out=S)
        np.exp(S, out=S)
        S /= np.maximum(S.sum(1, keepdims=True), np.finfo(dt).tiny)
        S[~full] = 0  # a fully masked row contributes S Z = 0
        sz = S @ z
        xhat, sig = layernorm(keep_coef * z - s * sz)
        return xhat, (z, u, r, S, sz, xhat, sig)

    def contranorm_back(tape, gout):
        z, u, r, S, sz, xhat, sig = tape
        gy = layernorm_back(xhat, sig, gout)
        b = -s * gy
        gz = keep_coef * gy + S.T @ b
        DS = DS_buf  # ∂scores, reusing one N x N buffer
        np.matmul(b, z.T, out=DS)
        DS -= (b * sz).sum(1, keepdims=True)
        DS *= S
        if tau != 1:
            DS /= tau
        gu = DS @ u
        gu += DS.T @ u
        big = (r > 1e-12).ravel()
        gz[big] += (gu[big] - u[big] * (u[big] * gu[big]).sum(1, keepdims=True)) / r[big]
        gz[~big] += gu[~big] / 1e-12
        return gz

    def forward(epoch):
        train = epoch is not None
        h = X
        tapes = []
        for l in range(depth):
            if l == 0:
                if train:
                    x = X.copy()
                    x.data *= keep_mask(run['dropoutKeys'][epoch][0], x_index, p).astype(dt)
                else:
                    x = X
                xw = x @ Ws[0]
            else:
                x = h * keep_mask(run['dropoutKeys'][epoch][l], dense_index[dims[l]], p).astype(dt) if train else h
                xw = x @ Ws[l]
            z = A_hat @ xw
            if kind == 'contranorm':
                o, t = contranorm(z, S_train[l] if train else S_eval)
            elif kind == 'layernorm':
                o, sig = layernorm(z)
                t = (o, sig)
            else:
                o, t = z, None
            tapes.append((x, t, o))
            h = np.maximum(o, 0)
        m = keep_mask(run['dropoutKeys'][epoch][depth], dense_index[dims[depth]], p).astype(dt) if train else None
        xr = h * m if train else h
        return xr @ W_out, xr, m, tapes

    def acc(logits, idx):
        return float((logits[idx].argmax(1) == labels[idx]).mean())

    reference = run.get('reference') or []
    worst = 0.0
    mismatched = 0
    best_val, best_epoch, test_at = -1.0, -1, float('nan')
    t0 = time.time()
    for epoch in range(epochs):
        logits, xr, m, tapes = forward(epoch)
        lt = logits[tr]
        lse = lt.max(1, keepdims=True) + np.log(np.exp(lt - lt.max(1, keepdims=True)).sum(1, keepdims=True))
        loss = float((lse.ravel() - lt[np.arange(len(tr)), labels[tr]]).mean())
        g_logits = np.zeros_like(logits)
        g_logits[tr] = np.exp(lt - lse)
        g_logits[tr, labels[tr]] -= 1
        g_logits[tr] /= len(tr)
        grads = [None] * depth
        g_out = xr.T @ g_logits
        gh = (g_logits @ W_out.T) * m
        for l in reversed(range(depth)):
            x, t, o = tapes[l]
            gz = gh * (o > 0)
            if kind == 'contranorm':
                gz = contranorm_back(t, gz)
            elif kind == 'layernorm':
                gz = layernorm_back(t[0], t[1], gz)
            gxw = A_hatT @ gz
            grads[l] = np.asarray(x.T @ gxw)
            if l > 0:
                gh = (gxw @ Ws[l].T) * keep_mask(run['dropoutKeys'][epoch][l], dense_index[dims[l]], p).astype(dt)
        step = epoch + 1
        for i, (w, gw_) in enumerate(zip(params, grads + [g_out])):
            gk = gw_ + wd * w
            adam_m[i] = 0.9 * adam_m[i] + 0.1 * gk
            adam_v[i] = 0.999 * adam_v[i] + 0.001 * gk * gk
            w -= lr * (adam_m[i] / (1 - 0.9**step)) / (np.sqrt(adam_v[i] / (1 - 0.999**step)) + 1e-8)
        ev = forward(None)[0]
        stats = {'loss': loss, 'trainAcc': acc(ev, tr), 'valAcc': acc(ev, va), 'testAcc': acc(ev, te)}
        if epoch < len(reference):
            ref = reference[epoch]
            diff = abs(loss - ref['loss']) / abs(ref['loss'])
            worst = max(worst, diff)
            same = all(stats[k] == ref[k] for k in ('trainAcc', 'valAcc', 'testAcc'))
            mismatched += 0 if same else 1
            print(f'check epoch {epoch}: loss {loss:.12f} vs reference {ref["loss"]:.12f} (rel {diff:.1e}); accuracies {"equal" if same else "DIFFER"}', flush=True)
        if stats['valAcc'] > best_val:
            best_val, best_epoch, test_at = stats['valAcc'], epoch, stats['testAcc']
        if not quiet and (epoch % 20 == 0 or epoch == epochs - 1):
            print(f'epoch {epoch}: loss {loss:.4f} train {stats["trainAcc"]:.3f} val {stats["valAcc"]:.3f} test {stats["testAcc"]:.3f} ({time.time() - t0:.0f} s)', flush=True)
    result = {
        'norm': kind, 'variant': variant, 's': s, 'tau': tau, 'depth': depth, 'seed': cfg['seed'],
        'epochs': epochs, 'dtype': dt.name, 'bestValEpoch': best_epoch, 'bestVal': best_val,
        'testAccAtBestVal': test_at, 'seconds': round(time.time() - t0, 1),
        'referenceEpochsChecked': min(len(reference), epochs), 'worstRelLossDiff': worst,
        'epochsWithOtherAccuracies': mismatched,
    }
    print('RESULT ' + json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
