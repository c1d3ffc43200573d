"""Video: sampled frames, transcripts of the audio track, on-screen text, and search over moments."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets._calc import EMBEDDING_MODEL, SMALL_MODEL
from techpm.generator.facets._media import calculator_name, image_tokens
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import num, size, usd

FRAMES_PER_S = 0.2            # one frame every 5 seconds for indexing; more only around scene changes
FRAME_PX = (768, 432)         # a 16:9 frame downscaled for the model
WORDS_PER_MINUTE = 150
TOKENS_PER_WORD = 1.3
EMBED_DIM = 1_024
DEFAULT_HOURS = 10_000


def _figures(ctx: Ctx) -> None:
    hours_q = ctx.take("media_hours")
    fps_q = ctx.take("frames_per_s")
    hours = hours_q.value if hours_q else ctx.assume("hours of video", DEFAULT_HOURS, f"{num(DEFAULT_HOURS)} hours of video",
                                                     "a mid-sized library")
    fps = fps_q.value if fps_q else FRAMES_PER_S
    per_frame = image_tokens(*FRAME_PX)
    frames = hours * 3600 * fps
    frame_tokens = frames * per_frame
    frame_cost = calc.api_cost_usd(SMALL_MODEL, frame_tokens, frames * 50, batch=True)
    stated = hours_q.text if hours_q else f"{num(hours)} hours of video"
    ctx.add("frames", f"Frames to describe in {stated}", frames,
            f"{num(frames)} frames at {fps:g} a second, {num(frame_tokens)} image tokens: {usd(frame_cost)} to "
            f"caption them once on {SMALL_MODEL} in batch",
            f"{num(hours)} h x 3,600 s x {fps:g} frames/s x {num(per_frame)} tokens/frame",
            f"{calculator_name()}, calc.api_cost_usd", f"{FRAME_PX[0]} x {FRAME_PX[1]} px frames; 50-token captions",
            uses=(hours_q, fps_q))
    transcript_tokens = hours * 60 * WORDS_PER_MINUTE * TOKENS_PER_WORD
    embed = calc.embedding_cost_usd(transcript_tokens + frames * 50, EMBEDDING_MODEL)
    segments = int(hours * 3600 / 30)
    index = calc.hnsw_index_bytes(max(1, segments), EMBED_DIM)
    ctx.add("video_index", "Transcripts and the search index", index,
            f"{num(transcript_tokens)} transcript tokens; {num(segments)} 30-second segments embedded for "
            f"{usd(embed)}, an index of {size(index)}",
            f"{num(hours)} h x 60 x {WORDS_PER_MINUTE} words x {TOKENS_PER_WORD}; segments = hours x 120",
            "calc.embedding_cost_usd, calc.hnsw_index_bytes", f"{EMBEDDING_MODEL}; one vector per segment",
            uses=(hours_q,))
    ctx.values["video_hours"] = stated
    ctx.values["fps"] = f"{fps:g}"


FACET = Facet(
    name="video",
    title="Video understanding",
    cues=((r"\bvideos?\b|footage|\bclips?\b", 4), (r"cctv|surveillance|dashcam|body ?cam|livestream|broadcast", 3),
          (r"youtube|\bmovies?\b|\bfilms?\b|lecture recordings?|\btv\b|episodes?", 2), (r"\bframes?\b|scenes?", 2)),
    boost=lambda b: (2.0 if "video" in b.modalities else 0.0) + (1.0 if b.first("media_hours") else 0.0),
    concept_groups=(
        ("frame", "keyframe"),
        ("transcript", "speech track", "audio track"),
        ("on-screen text", "caption", "text in frames"),
        ("timestamp", "moment", "segment"),
    ),
    domain_terms=("keyframe", "frames", "on-screen text", "scene change"),
    scoping=(
        "What will people look for in <<video_hours>> (spoken words, faces, objects, on-screen text, or "
        "whole scenes), each of which needs its own index?",
        "How fresh must <<product>> be: searchable minutes after upload, or overnight?",
        "What rights and privacy rules cover the footage (faces, minors, licensed content)?",
    ),
    personas=(Persona("end user", "editors and researchers who search footage",
                      "scrub through hours of video by hand, or rely on sparse manual tags",
                      "expert in their material; impatient with tools that return whole files",
                      "results that point at the wrong minute, and missing spoken words",
                      "a timestamp for the exact moment, with the words spoken and a thumbnail"),),
    stages=("video --> [scene detection + frames at <<fps>>/s] --> [captions + on-screen text per frame]",
            "      --> [audio track --> transcript with timestamps] --> [30 s segments: text + frame captions --> embeddings] --> (index)",
            "query --> [hybrid search over segments] --> moments with timestamps and thumbnails"),
    components=(
        ("Frames", "Sample frames at <<fps>> a second and at scene changes; a vision-language model captions "
         "each and reads the on-screen text (slides, lower thirds, signs) [[vision_docs]]."),
        ("The audio track", "A speech recogniser transcribes the audio with word timestamps [[whisper]]: "
         "most of what people search for in <<video_hours>> was said, not shown."),
        ("Segments and search", "Transcript and frame captions are merged into 30-second segments, embedded in "
         "one space with the query [[clip]], and returned as moments with a timestamp, not whole files."),
    ),
    figures=_figures,
    deep_dive=("Frames are the cost dial",
               "Every sampled frame is an image the model reads, so the frame rate multiplies the bill across "
               "<<video_hours>>; sampling at scene changes plus a low steady rate catches what changes without "
               "paying for near-identical frames. Transcripts are cheap and carry most of the searchable "
               "content, so they come first; frame captions and on-screen text add what was only shown."),
    risks=(("Timestamps that drift", "a moment off by half a minute is a miss for an editor: evaluate "
            "search by whether the returned timestamp lands inside the right scene."),
           ("Faces and rights", "footage shows people who did not consent to search: no face identification "
            "without a legal basis, and licensed material stays within its licence.")),
    api=("POST /v1/videos         {url | file_id}  -> job id; webhook when indexed",
         "GET  /v1/search/moments {q, filters}  -> [{video_id, start_s, end_s, transcript, thumbnail_url}]"),
    api_notes="Indexing is priced per hour of video, search per query.",
    metrics=(("Moments found in the right scene (labelled queries)", ">= 85% in the top 5", "editors need the exact minute"),
             ("Time from upload to searchable", "< 1 hour", "freshness for news and events")),
    item_noun="searches",
    tradeoffs=(
        ("What is indexed first", "the transcript",
         "frame captions first when the footage of <<product>> is mostly silent"),
        ("Frame rate", "a low steady rate plus scene changes",
         "dense sampling for fast action, multiplying the cost of <<video_hours>>"),
    ),
    recommendation="Index the transcript first, add frame captions and on-screen text at scene changes, and "
                   "return moments with timestamps.",
)
