/* The tuning facility (core/tune.h) with a family of its own: text round trip, parse errors,
 * -D options, settings, and the selection (default, forced, search with its second round,
 * cache file and process store, redo, stale cache lines) with a trial that scores by a table
 * instead of timing, so nothing is built or run. */
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tune.h"

typedef enum fake_kind { FAKE_AUTO = 0, FAKE_FAST, FAKE_SLOW } fake_kind;

typedef struct fake_config {
  int width;      /* 1, 2, 4 */
  fake_kind kind; /* by name */
  size_t items;   /* a multiple of width (the family's rule) */
  int depth;      /* required in text */
  int unlisted;   /* not a parameter: text leaves it alone */
} fake_config;

static const ob_tune_param fake_params[] = {
    {.key = "width", .define = "WIDTH", OB_TUNE_FIELD(fake_config, width), .min = 1, .max = 4,
     OB_TUNE_VALUES(1, 2, 4)},
    {.key = "kind", OB_TUNE_FIELD(fake_config, kind), .min = 0, .max = 2,
     OB_TUNE_NAMES("auto", "fast", "slow")},
    {.key = "items", .define = "ITEMS", OB_TUNE_FIELD(fake_config, items), .min = 0,
     .max = 1 << 20},
    {.key = "depth", .define = "DEPTH", OB_TUNE_FIELD(fake_config, depth), .min = -8, .max = 8,
     .required = true},
};

static ob_status fake_check(const void *cfg, const ob_device *dev) {
  const fake_config *c = cfg;
  if (c->items % (size_t)c->width)
    return ob_fail(OB_ERR_INVALID, "fake config: items must be a multiple of width");
  if (dev && c->items > 4096) return ob_fail(OB_ERR_UNSUPPORTED, "fake config: too many items");
  return OB_OK;
}

static const fake_config fake_base = {.width = 1, .items = 4};

static const ob_tune_family fake = {.name = "fake", .params = fake_params, .nparams = 4,
                                    .size = sizeof(fake_config), .base = &fake_base,
                                    .check = fake_check};

static void text_round_trip_and_defines(void **state) {
  (void)state;
  const fake_config c = {.width = 4, .kind = FAKE_SLOW, .items = 64, .depth = -3, .unlisted = 9};
  char text[128], defines[128];
  ob_tune_format(&fake, &c, text, sizeof text);
  assert_string_equal(text, "width=4,kind=slow,items=64,depth=-3");
  ob_tune_defines(&fake, &c, defines, sizeof defines);
  assert_string_equal(defines, "-DWIDTH=4 -DITEMS=64 -DDEPTH=-3");
  fake_config back = {.unlisted = 7};
  OB_ASSERT_OK(ob_tune_parse(&fake, text, &back));
  assert_int_equal(back.width, 4);
  assert_int_equal(back.kind, FAKE_SLOW);
  assert_int_equal(back.items, 64);
  assert_int_equal(back.depth, -3);
  assert_int_equal(back.unlisted, 7);
  /* Keys in any order, values of enumerations by number too, empty pairs skipped. */
  OB_ASSERT_OK(ob_tune_parse(&fake, "depth=2,,kind=1,", &back));
  assert_int_equal(back.kind, FAKE_FAST);
  assert_int_equal(back.depth, 2);
  assert_int_equal(back.width, 4);
  OB_ASSERT_OK(ob_tune_check(&fake, &back, ob_test_device()));
  back.items = 8192;
  assert_int_equal(ob_tune_check(&fake, &back, NULL), OB_OK);
  assert_int_equal(ob_tune_check(&fake, &back, ob_test_device()), OB_ERR_UNSUPPORTED);
  back.width = 3;
  assert_int_equal(ob_tune_check(&fake, &back, NULL), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "width=3 is not one of 1, 2, 4"));
}

static void parse_errors_name_the_pair(void **state) {
  (void)state;
  static const struct {
    const char *text, *detail;
  } bad[] = {
      {"width", "fake config: 'width' is not key=value"},
      {"depth=1,colour=3", "unknown key 'colour' (keys: width, kind, items, depth)"},
      {"depth=1,depth=2", "depth given twice"},
      {"depth=0x10", "depth='0x10' is not an integer in [-8, 8]"},
      {"depth= 1", "depth=' 1' is not an integer in [-8, 8]"},
      {"depth=9", "depth='9' is not an integer in [-8, 8]"},
      {"depth=1,width=3", "width=3 is not one of 1, 2, 4"},
      {"depth=1,kind=medium", "kind='medium' is not one of auto, fast, slow"},
      {"width=2", "depth is missing"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    fake_config c = fake_base, before = fake_base;
    assert_int_equal(ob_tune_parse(&fake, bad[i].text, &c), OB_ERR_INVALID);
    if (!strstr(ob_error_detail(), bad[i].detail))
      fail_msg("'%s': detail '%s', expected '%s'", bad[i].text, ob_error_detail(), bad[i].detail);
    assert_memory_equal(&c, &before, sizeof c);
  }
}

static void settings_validate_forced_text(void **state) {
  (void)state;
  ob_tune_settings s;
  ob_tune_settings_init(&s);
  assert_int_equal(s.mode, OB_TUNE_ON);
  assert_null(ob_tune_settings_forced(&s, &fake));
  ob_tune_mode m = OB_TUNE_ON;
  OB_ASSERT_OK(ob_tune_mode_parse("redo", &m));
  assert_int_equal(m, OB_TUNE_REDO);
  assert_int_equal(ob_tune_mode_parse("1", &m), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "expected off, on or redo"));
  /* Over the base (width 1, items 4): the rules hold for the keys given and the rest. */
  assert_int_equal(ob_tune_settings_force(&s, &fake, "depth=1,width=4,items=6"), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "items must be a multiple of width"));
  assert_int_equal(ob_tune_settings_force(&s, &fake, "width=2"), OB_ERR_INVALID);
  assert_int_equal(s.nforced, 0);
  OB_ASSERT_OK(ob_tune_settings_force(&s, &fake, "depth=1"));
  OB_ASSERT_OK(ob_tune_settings_force(&s, &fake, "depth=2,width=2"));
  assert_int_equal(s.nforced, 1);
  assert_string_equal(ob_tune_settings_forced(&s, &fake), "depth=2,width=2");
}

/* ---------------------------------------------------------------- selection */

/* A fresh cache directory for one test (removed by remove_dir). */
static void fresh_dir(ob_tune_settings *s) {
  snprintf(s->cache_dir, sizeof s->cache_dir, "%s", ob_test_tmpdir());
}

static void remove_dir(const char *dir) {
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

/* Scores by table: candidate i scores scores[i] (0: the trial fails); counts the trials. */
typedef struct fake_search {
  double scores[8];
  int trials[8];
  int prepared;
  fake_config cands[8];
  size_t ncands;
  bool verify_fails; /* the trial of candidate 2 fails verification */
} fake_search;

static ob_status fake_fallback(void *ctx, void *cfg) {
  (void)ctx;
  *(fake_config *)cfg = (fake_config){.width = 2, .kind = FAKE_AUTO, .items = 8, .depth = 0};
  return OB_OK;
}

static ob_status fake_fits(void *ctx, const void *cfg) {
  (void)ctx;
  return ((const fake_config *)cfg)->depth == 7
             ? ob_fail(OB_ERR_UNSUPPORTED, "depth 7 does not fit this shape")
             : OB_OK;
}

static ob_status fake_prepare(void *ctx) {
  ((fake_search *)ctx)->prepared++;
  return OB_OK;
}

/* The candidate's index is its depth; the trial resolves kind auto to fast. */
static ob_status fake_trial(void *ctx, void *cfg, double best, double *score) {
  (void)best;
  fake_search *f = ctx;
  fake_config *c = cfg;
  f->trials[c->depth]++;
  if (c->kind == FAKE_AUTO) c->kind = FAKE_FAST;
  if (f->verify_fails && c->depth == 2) return ob_fail(OB_ERR_VERIFY, "wrong result");
  if (f->scores[c->depth] == 0.0) return ob_fail(OB_ERR_BUILD, "does not build");
  *score = f->scores[c->depth];
  return OB_OK;
}

static void fake_init(fake_search *f, const double *scores, size_t n) {
  memset(f, 0, sizeof *f);
  for (size_t i = 0; i < n; i++) {
    f->scores[i] = scores[i];
    f->cands[i] = (fake_config){.width = 1, .kind = FAKE_AUTO, .items = 4 * (i + 1),
                                .depth = (int)i};
  }
  f->ncands = n;
}

static ob_tune_search fake_query(fake_search *f, const char *shape) {
  return (ob_tune_search){.family = &fake, .dev = ob_test_device(), .shape = shape, .ctx = f,
                          .fallback = fake_fallback, .fits = fake_fits, .candidates = f->cands,
                          .ncandidates = f->ncands, .prepare = fake_prepare,
                          .trial = fake_trial};
}

/* The lines of the tune-*.txt file in dir (exactly one such file) into buf. */
static void cache_text(const char *dir, char *buf, size_t n) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  int files = 0;
  for (struct dirent *e = readdir(d); e; e = readdir(d)) {
    if (strncmp(e->d_name, "tune-", 5) != 0) continue;
    char path[4600], *text = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    OB_ASSERT_OK(ob_read_file(path, &text, NULL));
    snprintf(buf, n, "%s", text);
    free(text);
    files++;
  }
  closedir(d);
  assert_int_equal(files, 1);
}

static void select_searches_caches_and_redoes(void **state) {
  (void)state;
  ob_tune_settings s;
  ob_tune_settings_init(&s);
  fresh_dir(&s);
  fake_search f;
  const double scores[] = {3.0, 0.0, 2.0, 2.0, 5.0};
  fake_init(&f, scores, 5);
  ob_tune_search q = fake_query(&f, "n64 (odd shape)");
  fake_config got;
  ob_tune_source src;
  /* Off: the fallback, nothing tried. */
  s.mode = OB_TUNE_OFF;
  OB_ASSERT_OK(ob_tune_select(&s, &q, &got, &src));
  assert_int_equal(src, OB_TUNE_DEFAULT);
  assert_int_equal(got.width, 2);
  assert_int_equal(f.prepared, 0);
  /* On, nothing cached: every candidate once, the earlier of the tie, as the trial left it. */
  s.mode = OB_TUNE_ON;
  OB_ASSERT_OK(ob_tune_select(&s, &q, &got, &src));
  assert_int_equal(src, OB_TUNE_SEARCHED);
  assert_int_equal(got.depth, 2);
  assert_int_equal(got.kind, FAKE_FAST);
  assert_int_equal(f.prepared, 1);
  for (int i = 0; i < 5; i++) assert_int_equal(f.trials[i], 1);
  char text[2048];
  cache_text(s.cache_dir, text, sizeof text);
  assert_non_null(strstr(text, "# oclbench tuning cache: "));
  const char *line = strstr(text, "\nfake n64_(odd_shape) width=1,kind=fast,items=12,depth=2 2 ");
  assert_non_null(line); /* then the candidate list's hash: 16 hex digits */
  line += strlen("\nfake n64_(odd_shape) width=1,kind=fast,items=12,depth=2 2 ");
  assert_int_equal(strspn(line, "0123456789abcdef"), 16);
  assert_int_equal(line[16], '\n');
  /* Cached: no trial; another shape is searched and stored beside it. */
  OB_ASSERT_OK(ob_tune_select(&s, &q, &got, &src));
  assert_int_equal(src, OB_TUNE_CACHED);
  assert_int_equal(got.depth, 2);
  assert_int_equal(f.trials[0], 1);
  ob_tune_search other = fake_query(&f, "n128");
  f.scores[4] = 1.0;
  OB_ASSERT_OK(ob_tune_select(&s, &other, &got, &src));
  assert_int_equal(got.depth, 4);
  /* Redo: searched again and replaced; the second round retimes the close ones. */
  q.recheck = 2.5;
  s.mode = OB_TUNE_REDO;
  OB_ASSERT_OK(ob_tune_select(&s, &q, &got, &src));
  assert_int_equal(src, OB_TUNE_SEARCHED);
  assert_int_equal(got.depth, 4);
  assert_int_equal(f.trials[0], 3); /* 3.0 > 2.5 x 1.0: once in this search */
  assert_int_equal(f.trials[2], 4); /* 2.0: twice */
  assert_int_equal(f.trials[3], 4);
  assert_int_equal(f.trials[4], 4);
  cache_text(s.cache_dir, text, sizeof text);
  assert_non_null(strstr(text, "fake n64_(odd_shape) width=1,kind=fast,items=20,depth=4 1 "));
  assert_non_null(strstr(text, "fake n128 "));
  assert_null(strstr(text, "items=12,depth=2"));
  /* Another candidate list (one candidate fewer): the cached winner is not used; the search
   * over the new list replaces its line. */
  s.mode = OB_TUNE_ON;
  q.ncandidates = 4;
  OB_ASSERT_OK(ob_tune_select(&s, &q, &got, &src));
  assert_int_equal(src, OB_TUNE_SEARCHED);
  assert_int_equal(got.depth, 2);
  OB_ASSERT_OK(ob_tune_select(&s, &q, &got, &src));
  assert_int_equal(src, OB_TUNE_CACHED);
  cache_text(s.cache_dir, text, sizeof text);
  assert_non_null(strstr(text, "fake n64_(odd_shape) width=1,kind=fast,items=12,depth=2 2 "));
  assert_null(strstr(text, "n64_(odd_shape) width=1,kind=fast,items=20,depth=4"));
  remove_dir(s.cache_dir);
}

static void select_forced_stale_and_failing(void **state) {
  (void)state;
  ob_tune_settings s;
  ob_tune_settings_init(&s);
  fresh_dir(&s);
  fake_search f;
  const double scores[] = {4.0, 1.0, 3.0};
  fake_init(&f, scores, 3);
  ob_tune_search q = fake_query(&f, "small");
  fake_config got;
  ob_tune_source src;
  /* A cached line that no longer passes is searched again. */
  OB_ASSERT_OK(ob_tune_select(&s, &q, &got, &src));
  char path[4600], text[2048];
  cache_text(s.cache_dir, text, sizeof text);
  DIR *d = opendir(s.cache_dir);
  for (struct dirent *e = readdir(d); e; e = readdir(d))
    if (strncmp(e->d_name, "tune-", 5) == 0)
      snprintf(path, sizeof path, "%s/%s", s.cache_dir, e->d_name);
  closedir(d);
  /* The stored line with its configuration replaced by one that no longer checks. */
  const char *hash = strrchr(strstr(text, "\nfake small "), ' ');
  assert_non_null(hash);
  char stale[200];
  snprintf(stale, sizeof stale, "fake small width=3,kind=fast,items=3,depth=1 1%.17s\nnot a line\n",
           hash);
  OB_ASSERT_OK(ob_write_file_atomic(path, stale, strlen(stale)));
  OB_ASSERT_OK(ob_tune_select(&s, &q, &got, &src));
  assert_int_equal(src, OB_TUNE_SEARCHED);
  assert_int_equal(got.depth, 1);
  cache_text(s.cache_dir, text, sizeof text);
  assert_non_null(strstr(text, "\nnot a line\n")); /* other lines are kept */
  assert_null(strstr(text, "width=3"));
  /* Forced: over the fallback, whatever the mode; unusable here is an error naming it. */
  OB_ASSERT_OK(ob_tune_settings_force(&s, &fake, "depth=3,items=12"));
  OB_ASSERT_OK(ob_tune_select(&s, &q, &got, &src));
  assert_int_equal(src, OB_TUNE_FORCED);
  assert_int_equal(got.width, 2);
  assert_int_equal(got.items, 12);
  OB_ASSERT_OK(ob_tune_settings_force(&s, &fake, "depth=7"));
  assert_int_equal(ob_tune_select(&s, &q, &got, &src), OB_ERR_UNSUPPORTED);
  assert_non_null(strstr(ob_error_detail(), "OCLBENCH_CONFIG_FAKE='depth=7'"));
  assert_non_null(strstr(ob_error_detail(), "does not fit this shape"));
  /* No candidate runs (one computes wrongly): the search fails and says so. */
  s.nforced = 0;
  s.mode = OB_TUNE_REDO;
  f.scores[0] = f.scores[1] = 0.0;
  f.verify_fails = true;
  assert_int_equal(ob_tune_select(&s, &q, &got, &src), OB_ERR_UNSUPPORTED);
  assert_int_equal(src, OB_TUNE_SEARCHED);
  assert_non_null(strstr(ob_error_detail(), "no candidate configuration (of 3) works"));
  assert_non_null(
      strstr(ob_error_detail(), "(the last: width=1,kind=auto,items=12,depth=2: wrong result)"));
  remove_dir(s.cache_dir);
}

/* Without a cache directory the winners live in the process. */
static void select_without_cache_dir_keeps_winners_in_memory(void **state) {
  (void)state;
  ob_tune_settings s;
  ob_tune_settings_init(&s);
  s.cache_dir[0] = '\0';
  fake_search f;
  const double scores[] = {2.0, 1.0};
  fake_init(&f, scores, 2);
  ob_tune_search q = fake_query(&f, "memory-only");
  fake_config got;
  ob_tune_source src;
  OB_ASSERT_OK(ob_tune_select(&s, &q, &got, &src));
  assert_int_equal(src, OB_TUNE_SEARCHED);
  OB_ASSERT_OK(ob_tune_select(&s, &q, &got, &src));
  assert_int_equal(src, OB_TUNE_CACHED);
  assert_int_equal(got.depth, 1);
  assert_int_equal(f.trials[1], 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(text_round_trip_and_defines),
      cmocka_unit_test(parse_errors_name_the_pair),
      cmocka_unit_test(settings_validate_forced_text),
      cmocka_unit_test(select_searches_caches_and_redoes),
      cmocka_unit_test(select_forced_stale_and_failing),
      cmocka_unit_test(select_without_cache_dir_keeps_winners_in_memory),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
