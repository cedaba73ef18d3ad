"""Figure 1 of a run, from a pandas DataFrame with matplotlib: mean escape latency
(± SEM) by trial of the test, one line per group of the rat triad.

The library draws the same figure itself (``run.figure("latency")``, or
``figures/latency-by-trial.png`` of ``helplessness run triadic-rat``); this script
shows the analysis a researcher writes from the records.

    pip install "./python[pandas]" matplotlib
    python examples/figure1.py [OUT.png] [--subjects N] [--seed S]
"""

import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import helplessness as lh  # noqa: E402

#: The library's own colours (Okabe-Ito), so the two figures look alike.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="figure1.png")
    parser.add_argument("--subjects", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    run = lh.run("triadic-rat", subjects=args.subjects, seed=args.seed, records="test")
    df = run.to_pandas()
    # Per group and trial: mean and standard error across subjects.
    by_trial = (
        df.groupby(["group", "trial"], observed=True)["latency_s"]
        .agg(["mean", "sem"])
        .reset_index()
    )

    fig, ax = plt.subplots(figsize=(9.6, 6.0), dpi=100)
    for i, (group, rows) in enumerate(by_trial.groupby("group", observed=True)):
        colour = COLOURS[i % len(COLOURS)]
        ax.plot(rows["trial"], rows["mean"], marker="o", ms=3, color=colour, label=group)
        ax.fill_between(
            rows["trial"],
            rows["mean"] - rows["sem"],
            rows["mean"] + rows["sem"],
            color=colour,
            alpha=0.2,
            linewidth=0,
        )
    ax.set_xlabel("Trial of the shuttle-box test")
    ax.set_ylabel("Mean escape latency (s, ± SEM)")
    ax.set_title(f"{run.name}: {args.subjects} rats a group, seed {run.seed}")
    ax.set_ylim(bottom=0)
    ax.legend(title="Group", frameon=False)
    fig.tight_layout()
    fig.savefig(args.out)
    means = df.groupby("group", observed=True)["latency_s"].mean()
    print(
        f"{args.out}: test latency "
        + ", ".join(f"{g} {m:.2f} s" for g, m in means.items())
    )


if __name__ == "__main__":
    main()
