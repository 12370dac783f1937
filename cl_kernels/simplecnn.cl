/* SimpleCNN's own kernels (models/simplecnn/simplecnn.c): the fc layer, the loss and the fused
 * backward pass around the conv layer, for a batch of B images. Plain OpenCL C 1.2.
 *
 * y        [B][F]  the conv output before its bias (F = channels * plane features per image,
 *                  NCHW flatten order: feature i belongs to channel i / plane)
 * a        = y + conv.bias[i / plane], the ReLU's input; relu(a) is never stored: the readers
 *            recompute it, and the ReLU mask is a > 0
 * params   the flat parameter buffer; conv_b, fc_w, fc_b are element offsets of conv.bias
 *          [C], fc.weight [CLASSES][F] and fc.bias [CLASSES]; grads likewise (g_* offsets)
 *
 * Build options: -DCLASSES (fc outputs), -DWG (work-group size of every kernel but the loss:
 * a power of two >= 16), -DLWG (the loss kernel's, a power of two), -DNB (images per
 * work-item in fc_forward), -DBLOCKED (fc_forward's feature order per work-item: 1 for CPUs,
 * whose OpenCL runtimes run each work-item's loop to the end before the next work-item).
 */
#ifndef CLASSES
#define CLASSES 10
#endif
#ifndef WG
#define WG 256
#endif
#ifndef LWG
#define LWG 256
#endif
#ifndef NB
#define NB 4
#endif
#ifndef BLOCKED
#define BLOCKED 0
#endif

#define NACC (NB * CLASSES)         /* fc_forward accumulators per work-item */
#define OP4 ((CLASSES + 3) / 4)     /* float4 chunks of one dlogits row in local memory */
#define RED_PITCH 17                /* 16 values per work-item, skewed banks */
#define BWD_IMAGES 8                /* images per step of fc_backward's batch loop */

#if (WG & (WG - 1)) || WG < 16 || (LWG & (LWG - 1))
#error "simplecnn.cl: WG must be a power of two >= 16, LWG a power of two"
#endif

/* partial[g][n][o] = sum over features i of chunk g of relu(a[n][i]) * fc.weight[o][i], for
 * the NB images of block get_group_id(0) (launch: dim 0 image blocks, dim 1 chunks of
 * `chunk` features, so the blocks of one chunk run side by side and share its weights in
 * the cache). The work-group sums its work-items' NACC accumulators 16 at a time through
 * local memory. */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void
simplecnn_fc_forward(__global const float *restrict y, __global const float *restrict params,
                     const int conv_b, const int fc_w, __global float *restrict partial,
                     const int batch, const int features, const int plane, const int chunk) {
  __local float red[WG * RED_PITCH];
  const int lid = get_local_id(0);
  const int n0 = get_group_id(0) * NB;
  const int g = get_group_id(1);
  const int nb = min(NB, batch - n0);
  const int begin = g * chunk;
  const int end = min(features, begin + chunk);
  __global const float *cb = params + conv_b;
  __global const float *w = params + fc_w;
  __global const float *yb = y + n0 * features;

  float acc[NACC];
#pragma unroll
  for (int k = 0; k < NACC; k++) acc[k] = 0.0f;
#if BLOCKED /* each work-item a contiguous run of features: whole cache lines per work-item */
  const int per = (chunk + WG - 1) / WG;
  const int i0 = begin + lid * per, i1 = min(end, i0 + per), di = 1;
#else /* work-items interleaved: coalesced loads */
  const int i0 = begin + lid, i1 = end, di = WG;
#endif
  for (int i = i0; i < i1; i += di) {
    const float b = cb[i / plane];
    float wv[CLASSES];
#pragma unroll
    for (int o = 0; o < CLASSES; o++) wv[o] = w[o * features + i];
#pragma unroll
    for (int j = 0; j < NB; j++) {
      /* Images past the batch (last block) reread the last one; their sums are not stored. */
      const float a = yb[min(j, nb - 1) * features + i] + b;
      const float r = a > 0.0f ? a : 0.0f;
#pragma unroll
      for (int o = 0; o < CLASSES; o++) acc[j * CLASSES + o] = mad(r, wv[o], acc[j * CLASSES + o]);
    }
  }

  /* Work-item lid's value k of a round goes to red[lid][k]; then work-item (part, t) sums
   * column t over the 16 work-items of its part, and the first 16 sum the WG/16 parts. */
  const int t = lid % 16, part = lid / 16;
#pragma unroll
  for (int r0 = 0; r0 < NACC; r0 += 16) {
#pragma unroll
    for (int k = 0; k < 16; k++)
      if (r0 + k < NACC) red[lid * RED_PITCH + k] = acc[r0 + k];
    barrier(CLK_LOCAL_MEM_FENCE);
    float s = 0.0f;
#pragma unroll
    for (int k = 0; k < 16; k++) s += red[(part * 16 + k) * RED_PITCH + t];
    barrier(CLK_LOCAL_MEM_FENCE);
    red[part * RED_PITCH + t] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lid < 16 && r0 + lid < NACC) {
      float tot = 0.0f;
      for (int p = 0; p < WG / 16; p++) tot += red[p * RED_PITCH + lid];
      const int j = (r0 + lid) / CLASSES, o = (r0 + lid) % CLASSES;
      if (j < nb) partial[(g * batch + n0 + j) * CLASSES + o] = tot;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
}

/* One work-group of LWG: logits = fc.bias + the sum of the nchunks partials (split in
 * `slices` interleaved subsets of chunks when the batch has fewer logits than work-items);
 * per image the softmax cross-entropy against its label; dlogits = (softmax - onehot) / B;
 * loss[0] = the mean; the fc bias gradient = the batch sum of dlogits. */
__kernel __attribute__((reqd_work_group_size(LWG, 1, 1))) void
simplecnn_loss(__global const float *restrict partial, const int nchunks,
               __global const float *restrict params, const int fc_b,
               __global const int *restrict labels, __global float *restrict logits,
               __global float *restrict dlogits, __global float *restrict loss,
               __global float *restrict grads, const int g_fc_b, const int batch) {
  __local float red[LWG];
  const int lid = get_local_id(0);
  const int total = batch * CLASSES;
  const int slices = max(1, LWG / total);
  for (int e = lid; e < total * slices; e += LWG) {
    const int k = e % total;
    float s = 0.0f;
    for (int g = e / total; g < nchunks; g += slices) s += partial[g * total + k];
    if (slices > 1)
      red[e] = s;
    else
      logits[k] = s + params[fc_b + k % CLASSES];
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  if (slices > 1 && lid < total) {
    float s = params[fc_b + lid % CLASSES];
    for (int p = 0; p < slices; p++) s += red[p * total + lid];
    logits[lid] = s;
  }
  barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);

  const float inv = 1.0f / (float)batch;
  float lsum = 0.0f;
  for (int n = lid; n < batch; n += LWG) {
    __global const float *l = logits + n * CLASSES;
    float m = l[0];
    for (int o = 1; o < CLASSES; o++) m = fmax(m, l[o]);
    float se = 0.0f;
    for (int o = 0; o < CLASSES; o++) se += exp(l[o] - m);
    const int lab = labels[n];
    lsum += m + log(se) - l[lab];
    for (int o = 0; o < CLASSES; o++)
      dlogits[n * CLASSES + o] = (exp(l[o] - m) / se - (o == lab ? 1.0f : 0.0f)) * inv;
  }
  red[lid] = lsum;
  barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
  for (int step = LWG / 2; step > 0; step /= 2) {
    if (lid < step) red[lid] += red[lid + step];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0) loss[0] = red[0] * inv;
  for (int o = lid; o < CLASSES; o += LWG) {
    float s = 0.0f;
    for (int n = 0; n < batch; n++) s += dlogits[n * CLASSES + o];
    grads[g_fc_b + o] = s;
  }
}

/* The backward pass through fc, ReLU and into the conv output, one pass over y: work-item i
 * (a feature) holds fc.weight[:, i] and, over the batch,
 *   grad fc.weight[o][i] = sum_n dlogits[n][o] relu(a[n][i])
 *   dz[n][i]             = (a[n][i] > 0) sum_o dlogits[n][o] fc.weight[o][i]
 *   colsum[i]            = sum_n dz[n][i]   (conv_grad_finish turns these into the conv bias
 *                                            gradient)
 * dlogits rows are staged in local memory (dl: batch * OP4 float4, zero-padded). */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void
simplecnn_fc_backward(__global const float *restrict y, __global const float *restrict params,
                      const int conv_b, const int fc_w, __global const float *restrict dlogits,
                      __global float *restrict dz, __global float *restrict colsum,
                      __global float *restrict grads, const int g_fc_w, const int batch,
                      const int features, const int plane, __local float4 *dl) {
  const int lid = get_local_id(0);
  __local float *dlf = (__local float *)dl;
  for (int k = lid; k < batch * OP4 * 4; k += WG) {
    const int n = k / (OP4 * 4), o = k % (OP4 * 4);
    dlf[k] = o < CLASSES ? dlogits[n * CLASSES + o] : 0.0f;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  const int i = get_global_id(0);
  if (i >= features) return;
  const float b = params[conv_b + i / plane];
  float wv[OP4 * 4], gw[OP4 * 4];
#pragma unroll
  for (int o = 0; o < OP4 * 4; o++) {
    wv[o] = o < CLASSES ? params[fc_w + o * features + i] : 0.0f;
    gw[o] = 0.0f;
  }
  float cs = 0.0f;
  for (int n0 = 0; n0 < batch; n0 += BWD_IMAGES) {
    float a[BWD_IMAGES]; /* loads of several images in flight before the arithmetic */
#pragma unroll
    for (int u = 0; u < BWD_IMAGES; u++)
      a[u] = n0 + u < batch ? y[(n0 + u) * features + i] + b : 0.0f;
#pragma unroll
    for (int u = 0; u < BWD_IMAGES; u++) {
      if (n0 + u < batch) {
        const int n = n0 + u;
        float d[OP4 * 4];
#pragma unroll
        for (int v = 0; v < OP4; v++) {
          const float4 q = dl[n * OP4 + v];
          d[4 * v] = q.x;
          d[4 * v + 1] = q.y;
          d[4 * v + 2] = q.z;
          d[4 * v + 3] = q.w;
        }
        float gz = 0.0f;
#pragma unroll
        for (int o = 0; o < CLASSES; o++) gz = mad(d[o], wv[o], gz);
        const bool on = a[u] > 0.0f;
        const float r = on ? a[u] : 0.0f;
#pragma unroll
        for (int o = 0; o < CLASSES; o++) gw[o] = mad(d[o], r, gw[o]);
        const float z = on ? gz : 0.0f;
        dz[n * features + i] = z;
        cs += z;
      }
    }
  }
#pragma unroll
  for (int o = 0; o < CLASSES; o++) grads[g_fc_w + o * features + i] = gw[o];
  colsum[i] = cs;
}

/* The conv gradients from their per-image parts. Work-groups 0 .. channels-1: grad
 * conv.bias[c] = the sum over the plane of colsum[c * plane + p] (a tree reduction);
 * the others: grad conv.weight[e] = the sum over the batch of wimg[n * taps + e], e < taps
 * (the per-image weight gradients of the grouped convolution, models/simplecnn/simplecnn.c). */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void
simplecnn_conv_grad_finish(__global const float *restrict colsum, const int plane,
                           const int channels, __global const float *restrict wimg,
                           const int taps, const int batch, __global float *restrict grads,
                           const int g_conv_w, const int g_conv_b) {
  __local float red[WG];
  const int grp = get_group_id(0), lid = get_local_id(0);
  if (grp >= channels) {
    const int e = (grp - channels) * WG + lid;
    if (e < taps) {
      float s = 0.0f;
      for (int n = 0; n < batch; n++) s += wimg[n * taps + e];
      grads[g_conv_w + e] = s;
    }
    return;
  }
  float s = 0.0f;
  for (int p = lid; p < plane; p += WG) s += colsum[grp * plane + p];
  red[lid] = s;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int step = WG / 2; step > 0; step /= 2) {
    if (lid < step) red[lid] += red[lid + step];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0) grads[g_conv_b + grp] = red[0];
}
