/* One Ising batch over one or several devices: calibrate, split, tune, create the shards. */
#include "ising_batch.h"

#include <stdlib.h>
#include <string.h>

#include "ising_tune.h"

void ob_ising_batch_clear(ob_ising_batch *b) {
  ob_ising_shards_destroy(b->set);
  free(b->rates);
  free(b->shares);
  free(b->tunings);
  free(b->tuned);
  free(b->sources);
  memset(b, 0, sizeof *b);
}

/* Each device's rate: given, calibrated (several devices), or 1 for a lone device. */
static ob_status rates_for(ob_ising_batch *b, ob_device *const *devs, const ob_ising_model *model,
                           const ob_ising_batch_opts *o) {
  if (o->rates) {
    memcpy(b->rates, o->rates, b->n * sizeof *b->rates);
    return OB_OK;
  }
  if (b->n == 1) {
    b->rates[0] = 1.0;
    return OB_OK;
  }
  OB_TRY(ob_ising_calibrate(devs, b->n, model, o->chains, o->seed, b->rates));
  b->calibrated = true;
  return OB_OK;
}

/* Each device's configuration by the policy, for its share. */
static ob_status tunings_for(ob_ising_batch *b, ob_device *const *devs,
                             const ob_ising_model *model, const ob_ising_batch_opts *o) {
  const ob_tune_settings *settings = o->settings ? o->settings : ob_tune_settings_current();
  for (size_t i = 0; i < b->n; i++) {
    b->tunings[i] = o->tuning;
    if (o->policy != OB_ISING_TUNE_AUTO || b->shares[i] == 0) continue;
    OB_TRY(ob_ising_select(devs[i], settings, model, b->shares[i], o->tuning.update,
                           &b->tunings[i], &b->sources[i]));
    b->tunings[i].max_pass_chains = o->tuning.max_pass_chains;
    b->tuned[i] = true;
  }
  return OB_OK;
}

ob_status ob_ising_batch_setup(ob_ising_batch *b, ob_device *const *devs, size_t n,
                               const ob_ising_model *model, const ob_ising_batch_opts *opts) {
  ob_ising_batch_clear(b);
  b->n = n;
  b->rates = calloc(n, sizeof *b->rates);
  b->shares = calloc(n, sizeof *b->shares);
  b->tunings = calloc(n, sizeof *b->tunings);
  b->tuned = calloc(n, sizeof *b->tuned);
  b->sources = calloc(n, sizeof *b->sources);
  if (!n || !b->rates || !b->shares || !b->tunings || !b->tuned || !b->sources)
    return n ? ob_fail(OB_ERR_NOMEM, "out of memory")
             : ob_fail(OB_ERR_INVALID, "an Ising batch needs a device");
  OB_TRY(rates_for(b, devs, model, opts));
  ob_ising_split(opts->chains, b->rates, n, b->shares);
  OB_TRY(tunings_for(b, devs, model, opts));
  return ob_ising_shards_create(devs, n, model, opts->first_chain, b->shares, opts->seed,
                                b->tunings, &b->set);
}
