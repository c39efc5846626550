"""Deterministic synthetic news clusters: many articles sharing a pool of facts, padded with background prose."""

from __future__ import annotations

import random

from summarizer import Document

PLACES = ["Harbor City", "Northvale", "Eastbrook", "Lakemont", "Riverton", "Stonebridge", "Westfield", "Ashford"]
FACTS = [
    "Officials in {p} said {n} residents were evacuated after the river burst its banks on Tuesday.",
    "The regional governor declared a state of emergency in {p} and requested {n} soldiers to help.",
    "Rescue teams in {p} pulled {n} people from flooded homes overnight, the fire service said.",
    "Power was cut to {n} households around {p}, according to the electricity operator.",
    "The weather agency warned that another {n} millimetres of rain could fall near {p} by Friday.",
    "Hospitals in {p} treated {n} people for injuries linked to the floods, health officials said.",
    "At least {n} people died in {p}, police said, while volunteers put the toll higher.",
    "The government pledged {n} million in emergency aid for {p}, the finance minister announced.",
    "Schools across {p} will stay closed for {n} days, the education office said.",
    "Engineers inspected {n} bridges near {p} and closed two of them as unsafe.",
]
FILLER = [
    "Residents described the night as chaotic, with water rising faster than anyone expected.",
    "Local shops opened their doors to families who had nowhere else to go.",
    "The region has seen repeated flooding over the past decade, and critics say defences were neglected.",
    "Volunteers handed out blankets and hot meals at a sports hall on the edge of town.",
    "Farmers said they feared for their harvest after fields were left under water for days.",
    "Opposition politicians called for an inquiry into the warning system.",
    "Traffic on the main highway was diverted as crews cleared debris from the road.",
    "Church groups organised collections of clothing and food for displaced families.",
]


def synthetic_articles(n: int, seed: int = 7, target_words: int = 450) -> list[Document]:
    """n articles of about target_words words (~600 tokens), each stating 6-8 facts from a shared pool of 40."""
    rng = random.Random(seed)
    pool = [f.format(p=place, n=rng.choice([12, 40, 300, 1200, 5000])) for f in FACTS for place in PLACES[:4]]
    articles = []
    for i in range(n):
        sentences = rng.sample(pool, rng.randint(6, 8))
        while sum(len(s.split()) for s in sentences) < target_words:
            sentences.append(rng.choice(FILLER) + f" Witness {rng.randint(1, 999)} said so.")
        rng.shuffle(sentences)
        paragraphs = ["\n".join(sentences[j : j + 3]) for j in range(0, len(sentences), 3)]
        articles.append(
            Document(title=f"Floods: report {i + 1}", text="\n".join(paragraphs), path=f"synthetic/{i:03d}")
        )
    return articles
