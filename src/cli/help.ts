/** Help texts: global and one per subcommand. Printed on stdout with exit 0 for --help. */
import { COMPACT_MIN_BUDGET } from '../domain/compact.js';
import { CHART_HEIGHT, CHART_MAX_WIDTH, CHART_WIDTH } from '../chart/chart.js';
import { LIMITS } from '../domain/spec.js';

export const GLOBAL_HELP = `saltbot - build SALT + LTV prompts for AI music models

Usage:
  saltbot <command> [options]

Commands:
  presets                 list the built-in presets
  render <spec.json|->    print the SALT + LTV prompt for a spec (or --preset NAME)
  lint <spec.json|->      check a spec for musical problems (or --preset NAME)
  timing --bpm N          tempo maths: beat and bar lengths, sidechain release window, timestamps
  patch <spec.json|->     Serum and Sylenth1 patch sheets for every layer (or --preset NAME)
  chart <spec.json|->     draw the band map, sidechain curve and arrangement as PNG (--out FILE)
  listen <spec.json|->    render an audio preview of the lead stack over a kick as WAV (--out FILE)
  measure <spec.json|->   render each layer and check that the sound matches the words

Options:
  -h, --help              show help (also: saltbot <command> --help, saltbot help <command>)
  -V, --version           show the version

A spec file is JSON: a bare spec or a preset file ("format": "saltbot.preset").
Use - to read it from standard input.

Exit codes: 0 success, 1 lint failure (errors, or warnings with --strict) or unexpected error,
2 invalid input (bad flag, bad JSON, invalid spec, unknown preset, unreadable file).
Set SALTBOT_DEBUG=1 to see the stack of an unexpected error.
`;

export const PRESETS_HELP = `Usage: saltbot presets [--json]

Lists the built-in presets: name, tempo, key and title.

Options:
  --json        machine-readable output: an array of { name, title, description, bpm, key, style, layers, spec }
  -h, --help    show this help
`;

export const RENDER_HELP = `Usage: saltbot render <spec.json|-> [options]
       saltbot render --preset NAME [options]

Prints the full SALT + LTV prompt for a spec, or a compact prompt within a character budget.

Options:
  -p, --preset NAME   render a built-in preset (see saltbot presets)
  -c, --compact N     print the compact prompt: the most important facts in at most N characters
                      (N a whole number, at least ${COMPACT_MIN_BUDGET}; 200 fits Suno's style field)
  -t, --target T      shape the draft for a destination, each field under a "== name (chars/budget) ==" line:
                      suno (style, structure, exclude), udio (description, tags, negative, structure),
                      musicgen (one or two sentences, at most 300 characters), llm (full prompt with
                      the chain-of-thought preamble), full, compact
  -b, --budget N      with --target suno: the style field's budget (default 1000; 200 for Suno v4);
                      with --target compact: the compact budget (default 1000)
  --cot               add the chain-of-thought preamble (full prompt only)
  --anchor            add the reference anchor (full prompt only)
  -h, --help          show this help

--cot and --anchor switch these parts on; the spec's own "extras" can switch them on too.

Examples:
  saltbot render --preset calling
  saltbot render --preset calling --compact 200
  saltbot render --preset calling --target suno --budget 200
  saltbot render my-drop.json --cot
  cat my-drop.json | saltbot render -
`;

export const LINT_HELP = `Usage: saltbot lint <spec.json|-> [--strict] [--json]
       saltbot lint --preset NAME [--strict] [--json]

Checks a valid spec for musical problems: sidechain settings against the tempo, layer roles and
bands, LTV words against the synth settings, timing.
Prints one line per finding, "severity rule path: message", then a summary.

Options:
  -p, --preset NAME   lint a built-in preset
  --strict            fail (exit 1) on warnings too
  --json              machine-readable output: { source, findings, counts, passed }
  -h, --help          show this help

Exit codes: 0 no errors (warnings and info allowed); 1 an error finding, or with --strict any
warning or error; 2 the input is not a valid spec (the problems are printed on stderr).
`;

export const TIMING_HELP = `Usage: saltbot timing --bpm N [--json]

Tempo maths for 4/4 music at N BPM (${LIMITS.bpm.min}-${LIMITS.bpm.max}): milliseconds per beat and bar,
the sidechain release window (70-80 % of a beat), note values (straight, dotted, triplet) and the
timestamp of the downbeat of bars 1, 9, 17, 33 and 65.

Options:
  -b, --bpm N   tempo in beats per minute, a whole number from ${LIMITS.bpm.min} to ${LIMITS.bpm.max}
  --json        machine-readable output
  -h, --help    show this help
`;

export const CHART_HELP = `Usage: saltbot chart <spec.json|-> --out FILE [--svg] [--width N]
       saltbot chart --preset NAME --out FILE [--svg] [--width N]

Draws a spec as one picture with three panels: the band map (every layer's frequency range on a
log axis 20 Hz-20 kHz, coloured by role, the reserved sub range, the lead range, overlaps), the
sidechain gain curve over one bar (kicks, duck depth, release, the recommended release window)
and the arrangement (build, sweep apex, drop, break, second drop with bar numbers and timestamps).

Options:
  -p, --preset NAME   draw a built-in preset (see saltbot presets)
  -o, --out FILE      write the picture to FILE (PNG, ${CHART_WIDTH}x${CHART_HEIGHT} unless --width)
  --svg               write SVG instead of PNG; without --out, print the SVG on standard output
  -w, --width N       PNG width in pixels, ${CHART_WIDTH} to ${CHART_MAX_WIDTH} (the height follows)
  -h, --help          show this help

Examples:
  saltbot chart --preset calling --out calling.png
  saltbot chart my-drop.json --out my-drop.svg --svg
`;

export const PATCH_HELP = `Usage: saltbot patch <spec.json|-> [--synth serum|sylenth1]
       saltbot patch --preset NAME [--synth serum|sylenth1]

Prints a patch sheet per synth (both unless --synth): for every layer the oscillator, unison
voices and detune, filter, envelope, LFO and level in the synth's own terms, then the kick
sidechain compressor (attack, release, ratio, ducking). Values the draft does not state are
inferred from the layer's LTV words and marked with ~.

Options:
  -p, --preset NAME   a built-in preset
  -s, --synth NAME    serum or sylenth1 (default: both)
  -h, --help          show this help
`;

export const LISTEN_HELP = `Usage: saltbot listen <spec.json|-> --out FILE.wav [options]
       saltbot listen --preset NAME --out FILE.wav [options]

Renders a short loop of the spec's lead stack over a four-on-the-floor kick as a 16-bit stereo
44.1 kHz WAV file: every layer follows its synth settings (waveform, unison voices, detune,
width, filter, envelope, octave, interval, level) and the sidechain ducks the marked layers on
every kick. It plays a two-bar motif in the spec's key, one note per beat, or the notes you give.
Values the spec leaves out are inferred from the LTV words and listed on stdout.

Options:
  -o, --out FILE      the WAV file to write (required)
  -p, --preset NAME   render a built-in preset
  -b, --bars N        loop length in bars, 1-8 (default 4)
  -n, --notes "..."   notes to play, one per beat, repeated: scientific pitch names, at most 32
                      (e.g. "A4 C5 E5 D5"; C1-C8)
  --solo LAYER        render only this layer (by id)
  --no-kick           leave the kick out (the sidechain still ducks on the beat)
  -h, --help          show this help

Examples:
  saltbot listen --preset calling --out calling.wav
  saltbot listen --preset calling --out lead.wav --bars 8 --notes "A4 C5 E5 D5"
  saltbot listen my-drop.json --out air.wav --solo noise_air --no-kick
`;

export const MEASURE_HELP = `Usage: saltbot measure <spec.json|-> [--strict] [--json]
       saltbot measure --preset NAME [--strict] [--json]

The measured lint: renders each layer alone and measures it. Checks the brightness centroid
against the brightness word, the sidechain's duck depth and recovery time against the spec, the
onsets of transient layers against the melody layer (within 5 ms) and the foundation's pitch an
octave under the melody. Prints the findings (as saltbot lint does), then the measurements.

Options:
  -p, --preset NAME   measure a built-in preset
  --strict            fail (exit 1) on warnings too
  --json              machine-readable output: { source, findings, measurements, counts, passed }
  -h, --help          show this help
`;

export const COMMAND_HELP: Readonly<Record<string, string>> = {
  presets: PRESETS_HELP,
  render: RENDER_HELP,
  lint: LINT_HELP,
  timing: TIMING_HELP,
  patch: PATCH_HELP,
  chart: CHART_HELP,
  listen: LISTEN_HELP,
  measure: MEASURE_HELP,
};
