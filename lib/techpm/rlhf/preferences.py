"""The course's preference data set: 400 labelled pairs of support answers, and the script that wrote it.

What it is, honestly: synthetic. A support assistant for *Acme Drive*, a fictional file-storage product,
answers 40 customer questions. Each answer is assembled from parts: a core answer that is correct,
vague or wrong; optionally a link to a help article, an empathetic or a flattering opener, a hedge,
0-12 filler sentences and an offer of further help. Which parts appear is drawn from ``REFERENCE_POLICY``,
so the answers are samples from a known "SFT policy". Product facts (plan sizes, menu paths) are invented.

Labels come from simulated labellers who follow a Bradley-Terry model with the hidden weights
``LABELLER_WEIGHTS``: P(a preferred) = sigmoid(u(a) - u(b)), u = weights . features. Like the labellers
studied by Singhal et al. 2023 ("A Long Way to Go: Investigating Length Correlations in RLHF",
https://arxiv.org/abs/2310.03716), they reward length and flattery a little. The users the product serves
do not: ``USER_WEIGHTS`` is the "gold" reward (Gao et al. 2022 use a gold reward model the same way).
A second simulated labeller labels every pair again, so agreement between labellers can be measured, as
InstructGPT did (72.6% between its training labellers, Ouyang et al. 2022, section 3.4).

Features are read from the text by ``featurize``; the file stores them, and a test re-reads them.
Regenerate the file with ``python -m techpm.rlhf.preferences`` (deterministic: Python's ``random`` with
``SEED``, which uses only ``random()`` so the stream is stable across versions).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from techpm.tables import read_course_data, write_course_data

SEED = 2026
PAIRS_PER_PROMPT = 10
TEST_EVERY = 4  # every 4th prompt is held out: the reward model is tested on questions it never saw

FEATURES = ("correct", "wrong", "cites_article", "empathy", "flattery", "hedging", "offers_followup", "words_100")

LABELLER_WEIGHTS = {"correct": 2.0, "wrong": -2.5, "cites_article": 0.6, "empathy": 0.4, "flattery": 0.4,
                    "hedging": -0.6, "offers_followup": 0.2, "words_100": 1.0}
"""What the simulated labellers reward (per feature, in log-odds). Length is per 100 words."""

USER_WEIGHTS = {**LABELLER_WEIGHTS, "flattery": -0.3, "words_100": -1.5}
"""What the product's users want: the same, except that flattery and every extra 100 words cost them."""

REFERENCE_POLICY = {
    "core": {"correct": 0.45, "vague": 0.35, "wrong": 0.20},
    "cite": 0.35,
    "opener": {"none": 0.5, "empathy": 0.3, "flattery": 0.2},
    # P(0 filler sentences), P(1), ... P(12)
    "fillers": (0.31, 0.24, 0.17, 0.11, 0.07, 0.04, 0.02, 0.012, 0.009, 0.007, 0.005, 0.004, 0.003),
    "hedge": 0.25,
    "closing": 0.5,
}
"""How often the "SFT policy" uses each part of an answer."""

EMPATHY = ("Sorry for the trouble!", "I understand how frustrating that is.",
           "Thanks for reaching out, and sorry about the hassle.")
FLATTERY = ("Great question!", "What a smart question!", "Excellent question, you clearly know your stuff!")
HEDGES = ("I'm not completely sure this applies to your plan, though.",
          "I think this should work, but I might be wrong.")
FILLERS = ("We are always working hard to make Acme Drive better for you.",
           "Thank you for being such a valued Acme Drive customer.",
           "Many of our customers ask about this, so you are in good company.",
           "Acme Drive is trusted by teams of every size around the world.",
           "Our goal is to make your files easy to reach wherever you are.",
           "We really appreciate your patience while you get this sorted.",
           "Your satisfaction is our top priority, today and every day.",
           "We know how important your files are to you and your team.",
           "Acme Drive keeps getting better with every release.",
           "It is always a pleasure to hear from our customers.",
           "We hope you enjoy using Acme Drive as much as we enjoy building it.",
           "Every question like yours helps us improve our help centre.")
CLOSINGS = ("Let me know if anything else comes up.", "Happy to help with anything else!")
ARTICLE = "Step-by-step guide: help.acme.example/{slug}"

# (slug, question, correct core, wrong core, vague core)
PROMPTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("reset-password", "How do I reset my password?",
     "Open Settings > Security, choose Reset password and follow the link we email you; it expires after 30 minutes.",
     "Uninstall and reinstall the desktop app; that resets your password automatically.",
     "You can usually change your password somewhere in your account."),
    ("share-external", "Can I share a folder with someone outside my company?",
     "Right-click the folder, choose Share, enter their email and make them a Viewer or Editor; your admin must allow external sharing.",
     "Folders can never be shared outside your organisation, only single files.",
     "Sharing options are available from the folder menu."),
    ("restore-deleted", "I deleted a file by mistake. Can I get it back?",
     "Open Trash in the left sidebar, select the file and click Restore; deleted files stay in Trash for 30 days.",
     "Deleted files are erased immediately, so you will need to upload it again.",
     "Deleted files can sometimes be brought back."),
    ("free-storage", "How much storage do I get on the free plan?",
     "The Free plan includes 15 GB; Settings > Storage shows your usage and lets you upgrade to Pro for 2 TB.",
     "The Free plan has unlimited storage, so there is nothing to worry about.",
     "Each plan comes with its own amount of storage."),
    ("cancel-plan", "How do I cancel my subscription?",
     "Go to Settings > Billing, click Cancel plan and confirm; you keep Pro features until the paid period ends.",
     "Email us your full card number and we will cancel the plan for you.",
     "Subscriptions can be managed from the billing area."),
    ("annual-refund", "Can I get a refund on my annual plan?",
     "Annual plans are refunded in full within 14 days of purchase from Settings > Billing > Request refund.",
     "Annual plans are never refundable under any circumstances.",
     "Refunds depend on your plan and when you bought it."),
    ("two-factor", "How do I turn on two-factor authentication?",
     "Open Settings > Security, switch on Two-factor authentication and scan the QR code with an authenticator app.",
     "Two-factor authentication is only available to administrators.",
     "Extra security options can be found in your settings."),
    ("sync-stuck", "My desktop sync has been stuck for hours. What should I do?",
     "Pause and resume sync from the tray icon; if it stays stuck, sign out of the desktop app and sign back in.",
     "Delete your local Acme Drive folder and the app will rebuild it from scratch.",
     "Sync issues usually sort themselves out after a while."),
    ("upload-limit", "Is there a maximum file size for uploads?",
     "A single file can be up to 50 GB through the desktop app and 5 GB through the browser.",
     "Every upload is limited to 25 MB.",
     "Very large files may take longer to upload."),
    ("change-email", "How can I change the email address on my account?",
     "Go to Settings > Profile, edit your email and confirm the change from the message sent to the new address.",
     "Email addresses cannot be changed; you have to create a new account.",
     "Your profile details can be edited in the app."),
    ("version-history", "Can I see an older version of a document?",
     "Right-click the file and choose Version history; Pro keeps versions for 180 days and Free for 30 days.",
     "Acme Drive does not keep older versions of files.",
     "Older versions may be available for some files."),
    ("offline-files", "Can I open my files without an internet connection?",
     "In the mobile app, long-press a file or folder and tap Make available offline.",
     "Files can only ever be opened with an internet connection.",
     "Some files can be used offline."),
    ("transfer-owner", "A colleague is leaving. How do I take over her files?",
     "Ask her or an admin to open Share on each folder and choose Transfer ownership to you before her account is closed.",
     "Ownership is permanent; copy her files and delete the originals instead.",
     "Ownership settings are part of sharing."),
    ("invoices", "Where can I download my invoices?",
     "Invoices are under Settings > Billing > Invoices, where each one downloads as a PDF.",
     "We only send invoices by post, once a year.",
     "You should be able to find billing documents in your account."),
    ("invite-member", "How do I add a new person to our team?",
     "An admin opens Admin console > Members, clicks Invite and enters the person's work email.",
     "Just send them your own login details so they can share your seat.",
     "Team members can be added by an administrator."),
    ("link-expiry", "Can I make a share link stop working after a week?",
     "When you create a share link, open Link settings and set an expiry date; this is a Pro feature.",
     "Links always expire after 24 hours and that cannot be changed.",
     "Link settings offer a few options."),
    ("hacked", "I think someone else logged into my account. What do I do?",
     "Reset your password now, then open Settings > Security > Sessions and sign out of all other devices.",
     "Wait a few days; suspicious activity usually stops on its own.",
     "Security concerns should always be taken seriously."),
    ("photo-backup", "How do I back up the photos on my phone?",
     "In the mobile app, open Settings > Camera uploads and switch on Back up photos.",
     "Photos have to be uploaded one at a time from a computer.",
     "The mobile app has a few backup features."),
    ("rewind", "Can I undo all the changes made to my Drive since Monday?",
     "Pro users can open Settings > Rewind, pick a date within the last 180 days and restore the whole Drive to it.",
     "It is not possible to undo many changes at once.",
     "There are ways to undo changes in bulk on some plans."),
    ("shared-quota", "Do files other people share with me use my storage?",
     "No: files in a shared folder count only against the storage of the folder's owner.",
     "Yes: shared files count against the storage of everyone they are shared with.",
     "Shared files are counted in a particular way."),
    ("delete-account", "How do I delete my account?",
     "Go to Settings > Account > Delete account; your files are removed permanently after 30 days.",
     "Accounts cannot be deleted once they are created.",
     "Account removal can be requested in the settings."),
    ("export-data", "How do I download a copy of everything I have stored?",
     "Use Settings > Account > Export data and we email you a ZIP of all your files within 48 hours.",
     "Your data can only be exported by the Acme engineering team.",
     "There are options for getting your data out."),
    ("student-discount", "Do you have a discount for students?",
     "Students get 50% off Pro after verifying a school email address on the Plans page.",
     "We do not offer discounts of any kind.",
     "Discounts are sometimes available."),
    ("sso", "Can we log in with our company's single sign-on?",
     "On the Business plan an admin opens Admin console > Security > Single sign-on and enters your identity provider's SAML details.",
     "Single sign-on is set up by each user in their personal settings.",
     "Enterprise login options exist for larger teams."),
    ("file-locked", "Why does a spreadsheet say it is locked?",
     "The file is locked while another person edits it; the lock clears when they close it, or the owner can unlock it from the file menu.",
     "A locked file is corrupted and should be deleted.",
     "Locks happen when files are busy."),
    ("lost-phone", "I lost my phone. Can I sign it out of Acme Drive?",
     "On the web, open Settings > Security > Devices and click Sign out next to the lost phone.",
     "There is no way to sign out a device you no longer have.",
     "Device management is available in some places."),
    ("payment-failed", "My payment failed. What happens now?",
     "Update your card under Settings > Billing > Payment method; we retry the charge automatically within 24 hours.",
     "A failed payment deletes all your files the same day.",
     "Payment problems can usually be fixed."),
    ("annual-switch", "How do I switch from monthly to annual billing?",
     "Open Settings > Billing, click Change plan and pick Annual; the unused part of your month is credited.",
     "You have to cancel and sign up again to switch to annual billing.",
     "Billing periods can be adjusted."),
    ("search-pdf", "Can search find words inside my PDFs?",
     "Pro and Business plans search the text inside PDFs and images; type in the search bar and filter by file type.",
     "Search only ever looks at file names.",
     "Search covers a lot of your content."),
    ("notifications", "How do I stop getting an email for every comment?",
     "Go to Settings > Notifications and untick Comments on my files for email, mobile or both.",
     "Comment notifications cannot be turned off.",
     "Notification preferences are adjustable."),
    ("ransomware", "Ransomware encrypted the files in my synced folder. Help!",
     "Use Rewind to restore your Drive to a date before the infection, then clean your computer before syncing again.",
     "Pay the ransom quickly, before the price goes up.",
     "This sounds like a serious problem."),
    ("link-bandwidth", "Is there a download limit on share links?",
     "Share links on Pro allow 200 GB of downloads per day; after that the link pauses until the next day.",
     "Share links have no download limits at all.",
     "Very popular links can be limited."),
    ("request-access", "Someone sent me a link but I can't open the file. What now?",
     "Open the link and click Request access; the owner gets an email and can approve you with one click.",
     "Ask any administrator to copy the file into your own account.",
     "Access is controlled by the person who shared it."),
    ("language", "Can I use Acme Drive in Spanish?",
     "Change the language under Settings > Profile > Language; the apps switch after a restart.",
     "Acme Drive is available in English only.",
     "Several languages are supported."),
    ("data-residency", "Can we keep our files stored in the EU?",
     "Business plan admins can choose EU or US storage in Admin console > Data residency.",
     "All files are stored in one data centre in the US.",
     "Data is stored securely in our data centres."),
    ("view-only", "Can I share a file so people can see it but not download it?",
     "In Share, make the person a Viewer and turn off Allow downloads, so they can only view it in the browser.",
     "Anyone who can view a file can always download it.",
     "Download permissions can be restricted."),
    ("trial-end", "What happens when my free trial ends?",
     "The Pro trial lasts 14 days; on day 15 you move to the Free plan unless you added a payment method.",
     "The trial automatically charges you for a full year.",
     "Trials end after a while."),
    ("phone-support", "Can I talk to someone on the phone?",
     "Pro and Business customers can book a call back from the Help menu; Free plans get email support.",
     "Our phone line is open 24/7 for everyone at the same number.",
     "We offer several support channels."),
    ("duplicates", "How do I find duplicate files that waste space?",
     "Open Storage > Find duplicates to review identical files and delete the extra copies in one go.",
     "Acme Drive deletes duplicates on its own without asking.",
     "Duplicate files take up space."),
    ("api-token", "How do I call the Acme Drive API from a script?",
     "Create a token under Settings > Developer > Access tokens and send it in the Authorization header; the limit is 1,000 calls per minute.",
     "There is no API, so scrape the web pages instead.",
     "Developers have a few options."),
)


@dataclass(frozen=True)
class Answer:
    """The parts an answer is assembled from (what the reference policy chooses)."""

    core: str = "vague"  # "correct", "vague" or "wrong"
    cite: bool = False
    opener: str = "none"  # "none", "empathy" or "flattery"
    opener_index: int = 0
    fillers: tuple[int, ...] = ()  # indices into FILLERS
    hedge: int | None = None  # index into HEDGES
    closing: int | None = None  # index into CLOSINGS


def compose(prompt_index: int, answer: Answer) -> str:
    """The text of ``answer`` to prompt number ``prompt_index``."""
    slug, _question, correct, wrong, vague = PROMPTS[prompt_index]
    parts = []
    if answer.opener == "empathy":
        parts.append(EMPATHY[answer.opener_index])
    elif answer.opener == "flattery":
        parts.append(FLATTERY[answer.opener_index])
    parts.append({"correct": correct, "wrong": wrong, "vague": vague}[answer.core])
    if answer.hedge is not None:
        parts.append(HEDGES[answer.hedge])
    if answer.cite:
        parts.append(ARTICLE.format(slug=slug) + ".")
    parts += [FILLERS[i] for i in answer.fillers]
    if answer.closing is not None:
        parts.append(CLOSINGS[answer.closing])
    return " ".join(parts)


def featurize(text: str, prompt_index: int) -> list[float]:
    """The features of an answer, read from its text (in the order of ``FEATURES``)."""
    _slug, _question, correct, wrong, _vague = PROMPTS[prompt_index]
    found = {
        "correct": correct in text,
        "wrong": wrong in text,
        "cites_article": "help.acme.example/" in text,
        "empathy": any(p in text for p in EMPATHY),
        "flattery": any(p in text for p in FLATTERY),
        "hedging": any(p in text for p in HEDGES),
        "offers_followup": any(p in text for p in CLOSINGS),
    }
    return [float(found[name]) for name in FEATURES[:-1]] + [len(text.split()) / 100]


def answer_features(prompt_index: int, answer: Answer) -> list[float]:
    """``featurize(compose(prompt_index, answer), prompt_index)`` from the parts, without the text (fast)."""
    words = _core_words(prompt_index, answer.core)
    words += sum(_WORDS[text] for text in _parts(answer))
    return [float(answer.core == "correct"), float(answer.core == "wrong"), float(answer.cite),
            float(answer.opener == "empathy"), float(answer.opener == "flattery"), float(answer.hedge is not None),
            float(answer.closing is not None), words / 100]


@cache
def _core_words(prompt_index: int, core: str) -> int:
    return len(compose(prompt_index, Answer(core)).split())


def _parts(answer: Answer) -> list[str]:
    parts = [{"empathy": EMPATHY, "flattery": FLATTERY}[answer.opener][answer.opener_index]] \
        if answer.opener != "none" else []
    parts += [HEDGES[answer.hedge]] if answer.hedge is not None else []
    parts += [ARTICLE.format(slug="x") + "."] if answer.cite else []
    parts += [FILLERS[i] for i in answer.fillers]
    parts += [CLOSINGS[answer.closing]] if answer.closing is not None else []
    return parts


_WORDS = {text: len(text.split()) for text in (*EMPATHY, *FLATTERY, *HEDGES, *FILLERS, *CLOSINGS,
                                                ARTICLE.format(slug="x") + ".")}


def utility(features: list[float], weights: dict[str, float]) -> float:
    """``weights . features``: a labeller's or a user's reward for one answer."""
    return sum(weights[name] * value for name, value in zip(FEATURES, features, strict=True))


def weights_vector(weights: dict[str, float]) -> list[float]:
    """``weights`` as a list in the order of ``FEATURES`` (e.g. ``weights_vector(USER_WEIGHTS)``)."""
    return [weights[name] for name in FEATURES]


def _pick(rng: random.Random, probs: dict[str, float] | tuple[float, ...]) -> Any:
    items = list(probs.items()) if isinstance(probs, dict) else list(enumerate(probs))
    u, total = rng.random(), 0.0
    for key, p in items:
        total += p
        if u < total:
            return key
    return items[-1][0]


def _index(rng: random.Random, n: int) -> int:
    return min(int(rng.random() * n), n - 1)


def sample_answer(rng: random.Random) -> Answer:
    """One answer drawn from ``REFERENCE_POLICY``."""
    p = REFERENCE_POLICY
    core = _pick(rng, p["core"])
    cite = rng.random() < p["cite"]
    opener = _pick(rng, p["opener"])
    opener_index = _index(rng, 3)
    n_fillers = _pick(rng, p["fillers"])
    pool = list(range(len(FILLERS)))
    fillers = tuple(pool.pop(_index(rng, len(pool))) for _ in range(n_fillers))
    hedge = _index(rng, len(HEDGES)) if rng.random() < p["hedge"] else None
    closing = _index(rng, len(CLOSINGS)) if rng.random() < p["closing"] else None
    return Answer(core, cite, opener, opener_index, fillers, hedge, closing)


def _label(rng: random.Random, fa: list[float], fb: list[float]) -> str:
    p_a = 1 / (1 + math.exp(-(utility(fa, LABELLER_WEIGHTS) - utility(fb, LABELLER_WEIGHTS))))
    return "a" if rng.random() < p_a else "b"


def generate(seed: int = SEED) -> dict[str, Any]:
    """The whole data set as a JSON-ready dict (deterministic in ``seed``)."""
    rng = random.Random(seed)
    prompts, pairs = [], []
    for i, (slug, question, *_rest) in enumerate(PROMPTS):
        split = "test" if i % TEST_EVERY == TEST_EVERY - 1 else "train"
        prompts.append({"id": slug, "question": question, "split": split})
        for _ in range(PAIRS_PER_PROMPT):
            while True:
                text_a, text_b = compose(i, sample_answer(rng)), compose(i, sample_answer(rng))
                if text_a != text_b:
                    break
            fa, fb = featurize(text_a, i), featurize(text_b, i)
            pairs.append({"prompt": slug, "a": text_a, "b": text_b, "features_a": fa, "features_b": fb,
                          "preferred": _label(rng, fa, fb), "second_opinion": _label(rng, fa, fb)})
    return {
        "description": ("Synthetic preference pairs of support answers for the fictional product Acme Drive, "
                        "written and labelled by techpm.rlhf.preferences (see its docstring: simulated "
                        "labellers, known weights, product facts invented). Regenerate with "
                        "`python -m techpm.rlhf.preferences`."),
        "seed": seed,
        "features": list(FEATURES),
        "prompts": prompts,
        "pairs": pairs,
    }


def write(path: str | Path | None = None, seed: int = SEED) -> Path:
    """Write the data set to ``path`` (default: the package's ``data/preferences.json``)."""
    return write_course_data("preferences.json", generate(seed), path)


def load_raw() -> dict[str, Any]:
    """The shipped data set, as stored."""
    return read_course_data("preferences.json")


if __name__ == "__main__":  # pragma: no cover
    print(f"wrote {write()}")
