/* reports/figformat.h — the file formats of figures (`--figure-format`, issue #13).
 *
 * A figure is drawn once per chosen format from the same gnuplot body:
 *   svg         figures/<name>.svg  (800x560 px; inlined by report.html)
 *   png         figures/<name>.png  (1000x700 px, pngcairo)
 *   pdf         figures/<name>.pdf  (5 x 3.5 in, pdfcairo: vector, fonts embedded)
 *   cairolatex  figures/latex/<name>.tex + figures/latex/<name>.pdf (the text is typeset by
 *               the paper's LaTeX: \input the .tex with figures/latex/ on \graphicspath)
 *   epslatex    figures/latex/<name>.tex + figures/latex/<name>.eps (the same for latex+dvips)
 * cairolatex and epslatex both write <name>.tex, so at most one of them is chosen. The
 * default is svg,png (what the reports show). The choice is process-wide, set once by the
 * harness from the command line, like rep_set_family_of.
 */
#ifndef TC_FIGFORMAT_H
#define TC_FIGFORMAT_H

#include <stddef.h>

#include <jansson.h>

#include "common/buf.h"
#include "reports/report.h"

enum {
    REP_FF_SVG = 1u << 0,
    REP_FF_PNG = 1u << 1,
    REP_FF_PDF = 1u << 2,
    REP_FF_CAIROLATEX = 1u << 3,
    REP_FF_EPSLATEX = 1u << 4,
};
#define REP_FF_NFORMATS 5
#define REP_FF_DEFAULT (REP_FF_SVG | REP_FF_PNG)
#define REP_FF_LATEX (REP_FF_CAIROLATEX | REP_FF_EPSLATEX)
/* At most 2 files per format (latex: text + graphic). */
#define REP_FF_MAXFILES (2 * REP_FF_NFORMATS)

/* Parse a comma list of format names ("pdf,svg", "all" = svg,png,pdf,cairolatex). 0 and the
 * set in *out; -1 with a one-line reason in err (unknown name, empty, both latex forms). */
int rep_ff_parse(const char *list, unsigned *out, char *err, size_t errlen);
/* The formats figures are drawn in (default REP_FF_DEFAULT). */
void rep_ff_set(unsigned formats);
unsigned rep_ff_get(void);
/* Name of one format bit ("svg", ...). */
const char *rep_ff_name(unsigned f);
/* The relative files written for output base `base` (e.g. figures/x-gap) in `formats`, in the
 * fixed order svg, png, pdf, latex text, latex graphic; malloc'd strings into out
 * (REP_FF_MAXFILES slots). Returns the count; 0 with out[] freed on OOM. */
size_t rep_ff_files(unsigned formats, const char *base, char **out);

/* How the reports name a figure file's link: "svg", "png", "pdf", "LaTeX", "LaTeX graphic (pdf)". */
const char *rep_ff_file_label(const char *rel);

/* Text for a LaTeX terminal: the characters LaTeX treats specially, escaped. */
void rep_esc_latex(cm_buf *b, const char *s);

/* The gnuplot terminal of one format (a "set terminal" line) for cols x rows panels of the
 * size of one figure. */
void rep_ff_terminal(cm_buf *b, unsigned f, int cols, int rows);
/* The script drawing ps once per format to the temporary files tmp[] (in rep_ff_files order;
 * the LaTeX graphic is named by gnuplot after the .tex). */
void rep_ff_script(cm_buf *b, const rep_plotspec *ps, unsigned formats,
                   char *const *tmp);
/* Point the .tex gnuplot wrote at tex_tmp to its graphic under the final name `final_stem`
 * (no directory, no extension), in place. 0, or -1 (unreadable, no reference found). */
int rep_ff_latex_fix(const char *tex_tmp, const char *final_stem);

/* Set each claim's "figures" list in `record` to the files of its plots (in the chosen formats)
 * that exist under outdir, and rewrite outdir/results.json when a list changed (the run's own
 * serialisation). 0, or -1 with a message in err. */
int rep_ff_fix_record(const char *outdir, json_t *record, char *err, size_t errlen);

#endif /* TC_FIGFORMAT_H */
