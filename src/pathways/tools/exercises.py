"""The short guided exercises, written by us: words to read at the person's own pace, no sound needed.

Each is a list of steps shown on one page. Nothing is timed or recorded; the person can stop at any step.
"""
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Exercise:
    slug: str
    title: str
    summary: str  # one line on the tools page
    intro: str
    steps: tuple[str, ...]
    after: str

    def get_absolute_url(self) -> str:
        return reverse(f"tools:{self.slug.replace('-', '_')}")


URGE_SURFING = Exercise(
    slug="urge-surfing",
    title="Riding out an urge",
    summary="Notice an urge rise, peak and pass, without acting on it. About five minutes.",
    intro="An urge can feel as if it will only grow until you give in. Most urges rise, peak and fade, often "
          "within half an hour, a bit like a wave. This exercise is a way to watch the wave rather than fight it "
          "or follow it. You can stop whenever you want.",
    steps=(
        "Find a spot where you can sit or stand still for a few minutes. Let your feet rest on the floor.",
        "Say to yourself, quietly or in your head: \u201cI am having an urge. It is a feeling, and it will change.\u201d",
        "Notice where you feel the urge in your body. Perhaps your mouth, your chest, your stomach or your hands. "
        "Just find it; there is nothing to fix.",
        "Describe it to yourself as if to a friend: is it tight or loose, warm or cold, still or moving? How big is it?",
        "Breathe out slowly. Imagine the urge as a wave and your breath as a board you are standing on.",
        "Keep watching. The wave may grow for a while. That is what waves do. You do not have to do anything about it.",
        "Every minute or so, check again: has it changed shape, moved, got smaller or bigger?",
        "When it starts to ease, notice that too. You rode it out, or part of it, and that counts.",
    ),
    after="If the urge is still strong, that is all right. You could try a few more minutes, go somewhere "
          "different, or reach out to someone on your list.",
)

GROUNDING = Exercise(
    slug="grounding",
    title="Grounding with your senses (5, 4, 3, 2, 1)",
    summary="Bring yourself back to the room you are in, one sense at a time. Two or three minutes.",
    intro="When thoughts race or feelings flood in, turning your attention to what is around you can help you "
          "feel steadier. Take each step at your own pace. If one sense does not work for you, skip it.",
    steps=(
        "Look around. Name five things you can see. Small things are fine: a crack in the ceiling, the colour of "
        "a cup.",
        "Notice four things you can feel or touch: your feet on the floor, the fabric of your sleeve, the air on "
        "your face, something in your hand.",
        "Listen for three things you can hear. Near or far: traffic, a fridge humming, your own breathing. If it "
        "is silent, notice the silence.",
        "Find two things you can smell. If nothing comes, think of two smells you like.",
        "Notice one thing you can taste, or one thing you are glad about right now.",
        "Take one slow breath out. Notice how you feel now compared with when you started.",
    ),
    after="You can do this anywhere, with your eyes open, and nobody needs to know you are doing it.",
)

BREATHING = Exercise(
    slug="breathing",
    title="Slow breathing",
    summary="A longer breath out to help your body settle. Two minutes or more.",
    intro="Breathing out for longer than you breathe in tells your body it can slow down. There is no perfect "
          "way to do this: if counting feels uncomfortable, just breathe out a little longer than you breathe in.",
    steps=(
        "Sit or stand so you are comfortable. You can rest a hand on your belly if you like.",
        "Breathe in gently through your nose while you count to four in your head.",
        "Pause for a moment, if that feels all right.",
        "Breathe out slowly through your mouth, as if through a straw, while you count to six.",
        "Do this again, for five or more breaths. If your mind wanders, come back to the counting.",
        "When you are ready, let your breathing go back to its own pace. Notice how your body feels.",
    ),
    after="If you feel dizzy, stop and breathe normally. Shorter counts are fine too.",
)

EXERCISES = {exercise.slug: exercise for exercise in (URGE_SURFING, GROUNDING, BREATHING)}
